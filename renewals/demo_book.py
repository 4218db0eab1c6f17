"""A realistic synthetic renewal book (seeded, repeatable) for demos, tests and benchmarks.

Shares are plausible rather than sourced: most customers had no claim last year, about 40% are
first-year renewals, PICC/Ping An/CPIC write most policies, about one car in seven is new-energy
(exempt from vessel tax, green 8-character plate). Expiries are spread over the 90 days after
``today`` so every cadence stage has leads.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from renewals.xlsxwrite import write_xlsx

__all__ = ["HEADER", "generate_book", "write_book"]

HEADER = [
    "车牌号", "被保险人", "手机号", "地区", "厂牌型号", "车架号", "初次登记日期", "座位数",
    "保险公司", "商业险保单号", "交强险保单号", "起保日期", "保单到期日", "上年保费",
    "交强险保费", "车船税", "出险次数", "出险金额", "续保年限",
    "车损险保额", "车损险保费", "三者险保额", "三者险保费",
    "司机险保额", "司机险保费", "乘客险保额", "乘客险保费",
]  # fmt: skip

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓"
    "曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志"
    "红玉兰晨浩宇欣怡子涵梓轩思远佳琪俊杰雨萱文博"
)
# (province prefix, region, city letters, weight)
_REGIONS: list[tuple[str, str, str, int]] = [
    ("京", "北京", "ABCEFGHJKLMNPQ", 10), ("沪", "上海", "ABCDEFGHJKLMN", 8),
    ("粤", "广州", "A", 6), ("粤", "深圳", "B", 7), ("粤", "佛山", "EX", 3), ("粤", "东莞", "S", 3),
    ("浙", "杭州", "A", 6), ("浙", "宁波", "B", 3), ("浙", "温州", "C", 2),
    ("苏", "南京", "A", 4), ("苏", "苏州", "EU", 5), ("苏", "无锡", "B", 2),
    ("川", "成都", "AG", 6), ("鲁", "济南", "A", 2), ("鲁", "青岛", "BU", 3),
    ("鄂", "武汉", "A", 4), ("湘", "长沙", "A", 3), ("豫", "郑州", "A", 4),
    ("津", "天津", "ABCDEFGHJKLMN", 3), ("渝", "重庆", "ABCDFGH", 4), ("闽", "厦门", "D", 2),
    ("陕", "西安", "A", 3), ("皖", "合肥", "A", 2),
]  # fmt: skip
_MOBILE_PREFIXES = tuple(
    str(p)
    for p in (
        *range(130, 140), 150, 151, 152, 153, 155, 156, 157, 158, 159, 166,
        173, 175, 176, 177, 178, *range(180, 190), 191, 198, 199,
    )
)  # fmt: skip
# (model, seats, new energy, new price in yuan)
_MODELS: list[tuple[str, int, bool, int]] = [
    ("大众朗逸 1.5L 自动舒适版", 5, False, 120_000), ("丰田卡罗拉 1.2T 精英版", 5, False, 130_000),
    ("日产轩逸 1.6L CVT", 5, False, 110_000), ("本田雅阁 260TURBO", 5, False, 180_000),
    ("别克GL8 ES陆尊", 7, False, 320_000), ("五菱宏光S 1.5L", 7, False, 60_000),
    ("哈弗H6 1.5T 两驱", 5, False, 110_000), ("吉利帝豪 1.5L CVT", 5, False, 80_000),
    ("宝马325Li M运动套装", 5, False, 330_000), ("奔驰C260L", 5, False, 340_000),
    ("奥迪A4L 40TFSI", 5, False, 320_000), ("比亚迪秦PLUS DM-i", 5, True, 110_000),
    ("比亚迪汉EV 冠军版", 5, True, 210_000), ("特斯拉Model 3", 5, True, 250_000),
    ("理想L7 Pro", 5, True, 320_000), ("广汽埃安S", 5, True, 140_000),
]  # fmt: skip
_INSURERS: list[tuple[str, str, int]] = [
    ("人保财险", "PDAA", 33), ("平安产险", "PA", 21), ("太平洋产险", "CPIC", 11),
    ("国寿财险", "GS", 7), ("中华联合", "ZH", 6), ("大地保险", "DD", 5), ("阳光财险", "YG", 5),
    ("太平财险", "TP", 4),
]  # fmt: skip
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # plates skip I and O
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


_REGION_WEIGHTS = [r[3] for r in _REGIONS]
_INSURER_WEIGHTS = [i[2] for i in _INSURERS]


def generate_book(*, leads: int, seed: int, today: date) -> Iterator[list[object]]:
    """``leads`` rows (without the header) of a book whose expiries fall in the next 90 days."""
    rng = random.Random(seed)
    plates: set[str] = set()
    for _ in range(leads):
        yield _row(rng, plates, today)


def _row(rng: random.Random, plates: set[str], today: date) -> list[object]:
    prefix, region, letters, _w = rng.choices(_REGIONS, weights=_REGION_WEIGHTS)[0]
    model, seats, electric, price = rng.choice(_MODELS)
    plate = _plate(rng, plates, f"{prefix}{rng.choice(letters)}", electric)
    insurer, code, _w2 = rng.choices(_INSURERS, weights=_INSURER_WEIGHTS)[0]
    end = today + timedelta(days=rng.randrange(90))
    start = _years_before(end, 1)
    registered = _years_before(start, rng.randint(0, 11)) - timedelta(days=rng.randrange(200))
    claims = rng.choices((0, 1, 2, 3), weights=(70, 20, 7, 3))[0]
    tenure = rng.choices((1, 2, 3, 4, 5, 6, 8), weights=(40, 22, 15, 9, 6, 5, 3))[0]
    coverages = _coverages(rng, price, seats, (start - registered).days // 365)
    commercial = sum(premium for _amount, premium in coverages)
    compulsory = (950 if seats < 7 else 1100) * rng.choice((0.7, 0.8, 0.9, 1.0, 1.0, 1.1, 1.3))
    row: list[object] = [
        plate, _name(rng), rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}", region,
        model, "".join(rng.choices(_VIN_CHARS, k=17)), registered, seats, insurer,
        f"{code}{start.year}{rng.randrange(10**12):012d}",
        f"{code}Z{start.year}{rng.randrange(10**12):012d}",
        start, end, round(commercial, 2), round(compulsory, 2),
        0 if electric else rng.choice((300, 360, 360, 420, 480, 720)),
        claims, round(claims * rng.uniform(800, 12_000), 2) if claims else 0, tenure,
    ]  # fmt: skip
    for amount, premium in coverages:
        row += [amount or "", premium or ""]
    return row


def _plate(rng: random.Random, plates: set[str], head: str, electric: bool) -> str:
    while True:
        if electric:
            tail = rng.choice("DF") + f"{rng.randrange(10**5):05d}"
        else:
            chars = [str(rng.randrange(10)) for _ in range(5)]
            for i in rng.sample(range(5), rng.choice((0, 1, 1, 2))):
                chars[i] = rng.choice(_PLATE_LETTERS)
            tail = "".join(chars)
        if head + tail not in plates:
            plates.add(head + tail)
            return head + tail


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2, 2))))


def _coverages(rng: random.Random, price: int, seats: int, age: int) -> list[tuple[float, float]]:
    """(insured amount, premium) in yuan for 车损险, 三者险, 司机险, 乘客险; (0, 0) = not bought."""
    value = price * max(0.2, 1 - 0.06 * age)
    damage = (0.0, 0.0) if age > 9 and rng.random() < 0.5 else (round(value, -2), value * 0.016)
    third = rng.choices((500_000, 1_000_000, 2_000_000, 3_000_000), weights=(5, 45, 38, 12))[0]
    third_premium = {500_000: 650, 1_000_000: 830, 2_000_000: 1030, 3_000_000: 1150}[third]
    driver = (0.0, 0.0)
    passenger = (0.0, 0.0)
    if rng.random() < 0.7:
        per_seat = rng.choice((10_000, 20_000, 50_000))
        driver = (per_seat, per_seat * 0.0042)
        passenger = (per_seat * (seats - 1), per_seat * (seats - 1) * 0.0027)
    factor = rng.uniform(0.6, 1.3)  # no-claim discount and insurer pricing, folded together
    return [
        (float(a), round(p * factor, 2))
        for a, p in (damage, (third, third_premium), driver, passenger)
    ]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def write_book(path: Path, *, leads: int, seed: int, today: date) -> int:
    """Write a demo book to ``path``: XLSX when it ends in .xlsx, else CSV (UTF-8 with BOM)."""
    rows = generate_book(leads=leads, seed=seed, today=today)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        size = (leads + 1, len(HEADER))
        return write_xlsx(path, _with_header(rows), sheet_name="续保清单", size=size) - 1
    # A BOM so that Excel opens the Chinese text correctly when a user double-clicks the file.
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        count = 0
        for row in rows:
            writer.writerow(["" if v is None else _csv_value(v) for v in row])
            count += 1
    return count


def _with_header(rows: Iterator[list[object]]) -> Iterator[list[object]]:
    yield list(HEADER)
    yield from rows


def _csv_value(value: object) -> object:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value else "0"
    return value
