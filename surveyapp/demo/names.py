"""Realistic Vietnamese person names for the demo, drawn deterministically from a seeded RNG.

Two naming traditions matter in Yên Bái and Lào Cai: the common Kinh (and Tày, Thái)
pattern "Nguyễn Thị Thu Hà", and the H'Mông pattern of the highland communes, where
men carry the middle name "A" ("Giàng A Páo") and women "Thị" ("Sùng Thị Mai").
"""

from __future__ import annotations

import random

# Family names with rough weights of how common they are (Kinh first, then Tày/Thái/Dao).
FAMILY_NAMES = {
    "Nguyễn": 30, "Trần": 9, "Lê": 8, "Phạm": 6, "Hoàng": 6, "Vũ": 4, "Đặng": 3,
    "Bùi": 3, "Đỗ": 3, "Hà": 4, "Ngô": 2, "Dương": 2, "Lý": 1, "Đinh": 2, "Lương": 2,
    "Nông": 2, "Lò": 2, "Triệu": 1, "Bàn": 1, "Hồ": 1, "Cao": 1, "Phùng": 1, "Tạ": 1,
}  # fmt: skip
HMONG_FAMILY_NAMES = ("Giàng", "Sùng", "Mùa", "Lù", "Vàng", "Thào", "Hờ", "Lầu", "Mua")

MALE_MIDDLE = ("Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Trung",
               "Thanh", "Công", "Mạnh", "Ngọc", "Tiến")  # fmt: skip
FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Thị Thu", "Thị Thanh", "Thu", "Ngọc", "Thanh",
                 "Hồng", "Phương", "Kim", "Minh")  # fmt: skip
MALE_GIVEN = ("Anh", "Dũng", "Hùng", "Cường", "Tuấn", "Hải", "Long", "Nam", "Thắng", "Sơn",
              "Tùng", "Kiên", "Hiếu", "Quân", "Trung", "Bình", "Đức", "Phong", "Toàn",
              "Khánh", "Lâm", "Thành", "Hưng", "Vinh", "Huy", "Tâm", "Duy", "Việt")  # fmt: skip
FEMALE_GIVEN = ("Hà", "Hương", "Lan", "Linh", "Mai", "Ngọc", "Hằng", "Thảo", "Trang",
                "Huyền", "Nhung", "Yến", "Hoa", "Loan", "Thủy", "Phương", "Dung", "Oanh",
                "Vân", "Nga", "Hạnh", "Giang", "Liên", "Quyên", "Thơ", "Lý")  # fmt: skip
HMONG_MALE_GIVEN = ("Páo", "Tủa", "Chư", "Dế", "Sình", "Lồng", "Chứ", "Của", "Dình",
                    "Vàng", "Thào", "Súa", "Nủ", "Chá")  # fmt: skip
HMONG_FEMALE_GIVEN = ("Mai", "Mỷ", "Dua", "Súa", "Ly", "Pà", "Chở", "Mỉ", "Sua", "Dợ")


class PersonNamer:
    """Hands out distinct full names; the same seed gives the same names in the same order."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        self._families = list(FAMILY_NAMES)
        self._family_weights = list(FAMILY_NAMES.values())

    def full_name(self, *, female: bool | None = None, hmong: bool = False) -> str:
        if female is None:
            female = self.rng.random() < 0.5
        for _attempt in range(50):
            name = self._hmong(female) if hmong else self._kinh(female)
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("The demo name lists are too short for this many people.")

    def _kinh(self, female: bool) -> str:
        family = self.rng.choices(self._families, weights=self._family_weights)[0]
        middle = self.rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        given = self.rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        return f"{family} {middle} {given}"

    def _hmong(self, female: bool) -> str:
        family = self.rng.choice(HMONG_FAMILY_NAMES)
        given = self.rng.choice(HMONG_FEMALE_GIVEN if female else HMONG_MALE_GIVEN)
        return f"{family} {'Thị' if female else 'A'} {given}"


def unit_phrase(locality_name: str) -> str:
    """'Xã Tân Phượng' -> 'xã Tân Phượng', as the unit is written inside a sentence or title."""
    return locality_name[:1].lower() + locality_name[1:]


UNIT_PREFIXES = ("Thành phố ", "Thị trấn ", "Thị xã ", "Huyện ", "Phường ", "Xã ", "Tỉnh ")


def short_name(locality_name: str) -> str:
    """'Thị trấn Mậu A' -> 'Mậu A': the proper name without the kind of unit."""
    for prefix in UNIT_PREFIXES:
        if locality_name.startswith(prefix):
            return locality_name.removeprefix(prefix)
    return locality_name
