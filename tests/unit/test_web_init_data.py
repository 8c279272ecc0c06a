"""A Telegram Mini App's initData is checked exactly as Telegram specifies: HMAC-SHA256 of the sorted
key=value lines under the key HMAC-SHA256("WebAppData", bot token), and an auth_date that is not stale."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import DomainError
from bot.services.web_auth import check_init_data, csrf_token, sign_init_data

TOKEN = "123456:ABC-test-token"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


def init_data(at: datetime = NOW, token: str = TOKEN, **extra: str) -> str:
    fields = {"auth_date": str(int(at.timestamp())), "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
              "user": json.dumps({"id": 1002, "first_name": "Phó Chủ tịch", "language_code": "vi"},
                                 ensure_ascii=False), **extra}
    return sign_init_data(fields, token)


def test_a_signed_init_data_names_the_telegram_user():
    user = check_init_data(init_data(), TOKEN, now=NOW, max_age=DAY)
    assert (user.id, user.first_name, user.language_code) == (1002, "Phó Chủ tịch", "vi")


def test_the_signature_field_telegram_adds_is_part_of_what_is_signed():
    signed = init_data(signature="abc_def")
    assert check_init_data(signed, TOKEN, now=NOW, max_age=DAY).id == 1002


def test_the_hash_is_the_known_answer_of_telegrams_rule():
    # Computed independently: secret = HMAC_SHA256(key="WebAppData", msg=token); hash = HMAC_SHA256(secret, dcs)
    import hashlib
    import hmac

    dcs = "auth_date=1\nuser={\"id\":5}"
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, dcs.encode(), hashlib.sha256).hexdigest()
    assert f"hash={expected}" in sign_init_data({"user": '{"id":5}', "auth_date": "1"}, TOKEN)


@pytest.mark.parametrize("forge", [
    lambda d: d.replace("Ph%C3%B3", "Ch%E1%BB%A7"),  # another name, same hash
    lambda d: d.replace("%22id%22%3A+1002", "%22id%22%3A+1001"),  # another person
    lambda d: d + "&extra=1",  # a field added after signing
    lambda d: d.split("&hash=")[0],  # no hash
    lambda d: d + "&hash=00",  # the hash twice
    lambda d: "",
    lambda d: "x" * 5000,
    lambda d: "%%%",
])
def test_forged_init_data_is_refused(forge):
    with pytest.raises(DomainError) as refused:
        check_init_data(forge(init_data()), TOKEN, now=NOW, max_age=DAY)
    assert refused.value.key == "web.init_data_bad"


def test_init_data_signed_for_another_bot_is_refused():
    with pytest.raises(DomainError) as refused:
        check_init_data(init_data(token="999:OTHER"), TOKEN, now=NOW, max_age=DAY)
    assert refused.value.key == "web.init_data_bad"


def test_stale_init_data_is_refused_and_fresh_enough_is_taken():
    assert check_init_data(init_data(NOW - DAY + timedelta(minutes=1)), TOKEN, now=NOW, max_age=DAY)
    for at in (NOW - DAY - timedelta(seconds=1), NOW + timedelta(hours=1)):
        with pytest.raises(DomainError) as refused:
            check_init_data(init_data(at), TOKEN, now=NOW, max_age=DAY)
        assert refused.value.key == "web.init_data_stale"


def test_each_session_has_its_own_csrf_token():
    assert csrf_token("a") != csrf_token("b") and len(csrf_token("a")) == 64
