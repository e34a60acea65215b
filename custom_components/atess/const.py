"""Constants shared by several modules of the ATESS integration."""

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "atess"
LOGGER = logging.getLogger(__package__)

DEFAULT_URL: Final = "https://www.enerclo-atesspower.com"
CONF_PLANTS: Final = "plants"
CONF_HISTORY_DAYS: Final = "history_days"
DEFAULT_HISTORY_DAYS: Final = 7
# set by the config flow when the owner asks for the Energy dashboard; cleared once it is done
CONF_ENERGY_DASHBOARD: Final = "energy_dashboard"

# The devices upload to the cloud every 5 minutes; polling faster only repeats the same sample.
# Once a device's upload phase is known, its polls come just after each upload (schedule.py).
REALTIME_INTERVAL: Final = timedelta(minutes=5)
# Settings change only when someone writes them (and we re-read after every write of ours).
SETTINGS_INTERVAL: Final = timedelta(hours=6)
# A settings poll that failed by chance is tried again this much later.
SETTINGS_RETRY: Final = timedelta(minutes=5)
# Plants, datalogs and devices change rarely; twice a day keeps the call budget near the floor
# (one inventory costs 2 + 6 calls per datalog). Reloading the entry picks up a new device at once.
INVENTORY_INTERVAL: Final = timedelta(hours=12)
# ... but a list that failed by chance is asked again soon, so nothing stays stale for 12 hours.
INVENTORY_RETRY: Final = timedelta(minutes=5)

MANUFACTURER: Final = "ATESS"
