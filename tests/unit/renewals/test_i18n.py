from pathlib import Path

from renewals.i18n import Catalog, normalise_language

HERE = Path(__file__).parent / "locale_fixture"


def test_chinese_by_default_english_by_choice_and_msgid_fallback() -> None:
    catalog = Catalog(HERE, "demo")
    assert catalog.gettext("Ready") == "就绪"
    assert catalog.gettext("Ready", "en") == "Ready"
    assert catalog.gettext("Not in the catalog") == "Not in the catalog"
    assert catalog.ngettext("{n} call", "{n} calls", 3).format(n=3) == "3 通电话"
    assert catalog.missing(["Ready", "Paused"]) == ["Paused"]


def test_language_tags_are_normalised() -> None:
    assert normalise_language("zh-CN") == "zh_CN"
    assert normalise_language("zh_CN.UTF-8") == "zh_CN"
    assert normalise_language("en-US") == "en"
    assert normalise_language("C.UTF-8") == "zh_CN"
    assert normalise_language(None) == "zh_CN"
