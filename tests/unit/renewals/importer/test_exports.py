import renewals.importer as importer


def test_public_names_are_exported_and_exist() -> None:
    assert sorted(importer.__all__) == [
        "BookImportError",
        "BookReaderGone",
        "ImportAborted",
        "ImportReport",
        "MissingColumns",
        "Progress",
        "Rejection",
        "UnreadableBook",
        "import_book",
    ]
    for name in importer.__all__:
        assert getattr(importer, name) is not None
