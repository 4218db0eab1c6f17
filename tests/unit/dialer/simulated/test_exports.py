import dialer.simulated as simulated


def test_every_exported_name_exists_once() -> None:
    for name in simulated.__all__:
        assert hasattr(simulated, name), name
    assert len(set(simulated.__all__)) == len(simulated.__all__)
