"""The three credential forms an owner may paste, and what the cloud receives for each."""

from __future__ import annotations

import base64
from collections.abc import Callable
import logging

import pytest

from custom_components.atess.api import AtessAuthError, AtessClient, authorization_header
from custom_components.atess.api.credentials import credential_secrets

from .conftest import FakeCloud

KEY = "0123456789abcdef0123456789ABCDEF"
PAIR = f"1234567:{KEY}"
BASIC = "Basic " + base64.b64encode(PAIR.encode()).decode()

type MakeClient = Callable[..., AtessClient]


@pytest.mark.parametrize(
    ("pasted", "sent"),
    [
        (PAIR, BASIC),
        (f"  {PAIR}\n", BASIC),
        (BASIC, BASIC),
        ("basic MTIzOmFiYw==", "basic MTIzOmFiYw=="),
        ("eyJhbGciOiJIUzI1NiJ9.e30.x", "eyJhbGciOiJIUzI1NiJ9.e30.x"),
        (f"1234567:{KEY[:-1]}", f"1234567:{KEY[:-1]}"),  # 31 hex digits: not the pair form
        (f"1234567:{KEY}0", f"1234567:{KEY}0"),
        (f"id:{KEY}", f"id:{KEY}"),  # the id is digits
        (f"1234567:{KEY[:-1]}g", f"1234567:{KEY[:-1]}g"),
        ("Bearer abc", "Bearer abc"),
    ],
)
def test_only_a_bare_id_and_key_pair_is_encoded(pasted: str, sent: str) -> None:
    assert authorization_header(pasted) == sent


def test_every_form_of_the_secret_is_kept_out_of_messages() -> None:
    assert set(credential_secrets(PAIR)) == {PAIR, BASIC, KEY}
    assert set(credential_secrets(BASIC)) == {PAIR, BASIC, KEY}
    assert credential_secrets("Basic !!!") == ("Basic !!!",)
    assert credential_secrets("Basic " + base64.b64encode(b"\xff\xfe").decode()) == ("Basic //4=",)
    assert credential_secrets("plain-token") == ("plain-token",)


async def test_a_pasted_pair_reaches_the_cloud_in_the_basic_form_and_never_leaks(
    fake_cloud: FakeCloud, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_cloud.answer({"code": 403, "msg": f"key {KEY} of {PAIR} ({BASIC}) has no access"})
    client = make_client(fake_cloud.base_url, token=PAIR)
    with pytest.raises(AtessAuthError) as caught:
        await client.async_get_plants()
    assert fake_cloud.requests[0]["headers"]["Authorization"] == BASIC
    for secret in (KEY, PAIR, BASIC):
        assert secret not in str(caught.value)
        assert secret not in repr(client)
        assert secret not in caplog.text
