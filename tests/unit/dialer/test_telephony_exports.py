import dialer.telephony as telephony


def test_every_exported_name_exists() -> None:
    for name in telephony.__all__:
        assert hasattr(telephony, name), name
    assert sorted(telephony.__all__) == telephony.__all__
