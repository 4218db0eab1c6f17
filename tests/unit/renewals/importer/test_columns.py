from renewals.importer.columns import Field, has_required_columns, normalise_header, resolve_header


def test_chinese_headers_map_to_fields() -> None:
    layout = resolve_header(
        ["车牌号", "被保险人", "手机号", "保单到期日", "上年保费", "出险次数", "续保年限", "车架号",
         "厂牌型号", "初次登记日期", "座位数", "保险公司", "商业险保单号", "交强险保单号",
         "起保日期", "交强险保费", "车船税", "地区"]
    )  # fmt: skip
    assert layout.fields[Field.PLATE] == 0
    assert layout.fields[Field.COMMERCIAL_PREMIUM] == 4
    assert layout.fields[Field.REGION] == 17
    assert len(layout.fields) == 18
    assert layout.missing_required() == ()
    assert layout.ignored == ()


def test_english_headers_with_spaces_and_case_map_to_the_same_fields() -> None:
    layout = resolve_header(["Plate", "Insured", "Phone", "Expiry", "Last Premium", "Claims"])
    assert layout.fields == {
        Field.PLATE: 0,
        Field.NAME: 1,
        Field.PHONE: 2,
        Field.END_DATE: 3,
        Field.COMMERCIAL_PREMIUM: 4,
        Field.CLAIM_COUNT: 5,
    }


def test_full_width_unit_suffixes_and_required_markers_are_ignored_in_headers() -> None:
    assert normalise_header(" 上年保费（元）* ") == "上年保费"
    assert normalise_header("ＶＩＮ") == "vin"
    assert normalise_header("Plate No") == "plateno"


def test_coverage_columns_pair_amount_and_premium_by_coverage() -> None:
    layout = resolve_header(
        [
            "车牌号",
            "车损险保额",
            "三者险保费",
            "车损险保费",
            "第三者责任险保额",
            "车上人员责任险(司机)保费",
        ]
    )
    by_code = {c.code: (c.amount_index, c.premium_index) for c in layout.coverages}
    assert by_code == {"车损险": (1, 3), "三者险": (4, 2), "司机险": (-1, 5)}


def test_missing_required_columns_are_named_and_unknown_columns_listed() -> None:
    layout = resolve_header(["车牌号", "备注", "被保险人"])
    assert layout.missing_required() == ("phone", "expiry")
    assert layout.ignored == ("备注",)


def test_a_header_names_every_column_a_lead_needs() -> None:
    assert has_required_columns(["车牌号", "被保险人", "手机号", "保单到期日"])
    assert not has_required_columns(["2026年1月续保清单"])  # a title row above the header
    assert not has_required_columns(["车牌号", "被保险人", "保单到期日"])  # no phone
