import dialer.bus as bus
import dialer.floor as floor


def test_every_exported_name_exists_once() -> None:
    # The order is ruff's (RUF022: constants first, then classes and functions).
    for package in (bus, floor):
        for name in package.__all__:
            assert hasattr(package, name), f"{package.__name__}.{name}"
        assert len(set(package.__all__)) == len(package.__all__), package.__name__
