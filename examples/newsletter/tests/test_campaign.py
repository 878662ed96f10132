"""The campaign's tests. Those marked MISTAKE are deliberately wrong (see the README); the
others are correct tests that look like them."""

import asyncio
from unittest import mock
from unittest.mock import PropertyMock, patch

import pytest

from newsletter.api import SubscriberApi
from newsletter.campaign import audience, close, launch
from newsletter.mailer import send_batch


@patch("newsletter.campaign.SubscriberApi")
def test_audience_comes_from_the_api(mock_api):
    mock_api.fetch.return_value = ["carol@example.com"]  # MISTAKE: the class's fetch
    assert audience("weekly")


@patch("newsletter.campaign.SubscriberApi")
def test_audience_is_what_the_api_returns(mock_api):
    mock_api.return_value.fetch.return_value = ["carol@example.com"]
    assert audience("weekly") == ["carol@example.com"]


def test_an_unhealthy_api_gives_no_audience():
    with patch.object(SubscriberApi, "healthy", return_value=False):  # MISTAKE: a plain mock
        assert audience("weekly") == []


def test_a_healthy_api_gives_the_subscribers():
    with patch.object(SubscriberApi, "healthy", new_callable=PropertyMock, return_value=True):
        assert audience("weekly") == ["ann@example.com", "bob@example.com"]


@patch("newsletter.events.record")
def test_launch_records_the_event(mock_record):
    asyncio.run(launch("weekly"))
    mock_record.assert_called_once_with("launched")  # MISTAKE: launch never awaits it


@patch("newsletter.events.notify_admins")
def test_close_tells_the_admins(mock_notify):
    asyncio.run(close("weekly"))
    mock_notify.assert_called_once_with("closed weekly")


def test_a_second_batch_is_checked_alone():
    send = mock.Mock()
    send("first")
    send.call_count = 0  # MISTAKE: not a reset
    send("second")
    send.assert_called_once_with("second")


def test_a_second_batch_is_checked_after_a_reset():
    send = mock.Mock()
    send("first")
    send.reset_mock()
    send("second")
    send.assert_called_once_with("second")


@pytest.fixture
def unsent_mailer():
    with patch("newsletter.campaign.mailer") as fake_mailer:
        fake_mailer.send_batch.return_value = []
        return fake_mailer  # MISTAKE: the patch ends here


@pytest.fixture
def quiet_mailer():
    with patch("newsletter.campaign.mailer") as fake_mailer:
        fake_mailer.send_batch.return_value = []
        yield fake_mailer


def test_launch_with_an_unsent_mailer(unsent_mailer):
    assert asyncio.run(launch("weekly")) == []


def test_launch_with_a_quiet_mailer(quiet_mailer):
    assert asyncio.run(launch("weekly")) == []


@patch("newsletter.settings.BATCH_SIZE", 1)  # MISTAKE: read when mailer was imported
def test_batches_hold_one_address_each():
    assert send_batch(["ann@example.com", "bob@example.com"]) == [
        ["ann@example.com"],
        ["bob@example.com"],
    ]


@patch("newsletter.settings.SENDER", "test@example.com")
def test_the_sender_can_be_changed():
    from newsletter.mailer import sender

    assert sender() == "test@example.com"
