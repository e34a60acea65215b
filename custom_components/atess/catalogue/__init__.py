"""What the integration knows about the cloud's fields, per device kind.

Every curated field says where its meaning comes from (`Source`), so a reader can tell a documented
fact from an educated guess. Fields the catalogue does not know still become (disabled) entities:
see `sensor.py` and the setting platforms.
"""

from .types import (
    AtessSensorEntityDescription,
    SettingPlatform,
    SettingSpec,
    Source,
)

__all__ = [
    "AtessSensorEntityDescription",
    "SettingPlatform",
    "SettingSpec",
    "Source",
]
