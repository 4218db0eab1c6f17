import dialer.calls as calls


def test_every_exported_name_exists_once() -> None:
    for name in calls.__all__:
        assert hasattr(calls, name), name
    assert len(set(calls.__all__)) == len(calls.__all__)
