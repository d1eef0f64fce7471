"""The school page's approval form names the smart-classroom phases with the vocabulary's words."""

import pytest

from tests.web.world import A

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang, pilot, general", [("zh-hans", "试点期", "普适应用期"),
                                                  ("en", "Pilot", "General use")])
def test_the_phase_choices_speak_the_vocabulary(client, world, lang, pilot, general):
    client.force_login(world["haidian"])
    client.cookies["django_language"] = lang
    html = client.get(f"/school/{A}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f'<option value="pilot">{pilot}</option>' in html
    assert f'<option value="general">{general}</option>' in html
