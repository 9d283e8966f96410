"""XLSForm workbooks for the import tests, built in memory with openpyxl.

Each function returns the bytes of an ``.xlsx`` file of a different shape, written the
way KoboToolbox and ODK users write them.
"""

from __future__ import annotations

import io

from openpyxl import Workbook


def build(survey: list[list], choices: list[list] | None = None, settings=None) -> bytes:
    """A workbook with a survey sheet, and choices/settings sheets when given."""
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices is not None:
        choice_sheet = book.create_sheet("choices")
        for row in choices:
            choice_sheet.append(row)
    if settings is not None:
        settings_sheet = book.create_sheet("settings")
        for row in settings:
            settings_sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def flat_survey() -> bytes:
    """No groups, no translations (one language, plain ``label`` columns)."""
    return build(
        [
            ["type", "name", "label", "hint", "required"],
            ["note", "welcome", "Chào mừng bạn đến lớp học ở Mù Cang Chải", "", ""],
            ["select_one freq or_other", "ai_frequency", "Bạn dùng AI bao lâu một lần?", "", "yes"],
            ["select_multiple purpose", "ai_purposes", "Bạn dùng AI vào việc gì?", "", ""],
            ["integer", "age", "Tuổi của bạn", "Số năm", "true"],
            ["text", "village", "Thôn, bản", "", ""],
            ["date", "class_day", "Ngày học", "", ""],
        ],
        [
            ["list_name", "name", "label"],
            ["freq", "never", "Chưa dùng"],
            ["freq", "weekly_1_2", "1–2 lần mỗi tuần"],
            ["freq", "daily", "Hằng ngày"],
            ["purpose", "writing", "Soạn văn bản"],
            ["purpose", "translation", "Dịch thuật"],
            ["purpose", "other", "Việc khác"],
        ],
        [["form_title", "form_id"], ["Khảo sát Văn Yên", "khao_sat_van_yen"]],
    )


def grouped_translated() -> bytes:
    """Groups (a field-list page and a plain group), relevance, constraints, two languages."""
    V, E = "label::Vietnamese (vi)", "label::English (en)"
    return build(
        [
            [
                "type",
                "name",
                V,
                E,
                "hint::Vietnamese (vi)",
                "hint::English (en)",
                "required",
                "relevant",
                "constraint",
                "constraint_message::Vietnamese (vi)",
                "constraint_message::English (en)",
                "appearance",
            ],
            [
                "begin_group",
                "usage",
                "Việc dùng AI",
                "Use of AI",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "field-list",
            ],
            [
                "select_one freq",
                "ai_frequency",
                "Tần suất dùng AI",
                "How often",
                "Chọn một",
                "Choose one",
                "yes",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                "select_one yn",
                "at_work",
                "Bạn có dùng AI cho công việc?",
                "Do you use AI at work?",
                "",
                "",
                "yes",
                "${ai_frequency} != 'never'",
                "",
                "",
                "",
                "",
            ],
            [
                "integer",
                "hours",
                "Số giờ tiết kiệm mỗi tuần",
                "Hours saved per week",
                "",
                "",
                "",
                "${at_work} = 'yes'",
                ". >= 0 and . <= 60",
                "Từ 0 đến 60 giờ",
                "From 0 to 60 hours",
                "",
            ],
            ["end_group", "", "", "", "", "", "", "", "", "", "", ""],
            [
                "begin_group",
                "opinion",
                "Ý kiến",
                "Opinion",
                "",
                "",
                "",
                "${ai_frequency} != 'never'",
                "",
                "",
                "",
                "",
            ],
            [
                "select_one agree",
                "useful",
                "AI hữu ích cho tôi",
                "AI is useful to me",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "likert",
            ],
            [
                "text",
                "story",
                "Kể một ví dụ",
                "Tell an example",
                "",
                "",
                "",
                "${useful} >= 3",
                "",
                "",
                "",
                "multiline",
            ],
            [
                "decimal",
                "cost",
                "Chi phí mỗi tháng (nghìn đồng)",
                "Monthly cost (thousand VND)",
                "",
                "",
                "",
                "",
                ". >= 0",
                "",
                "",
                "",
            ],
            ["end_group", "", "", "", "", "", "", "", "", "", "", ""],
            ["note", "thanks", "Cảm ơn bạn!", "Thank you!", "", "", "", "", "", "", "", ""],
        ],
        [
            ["list_name", "name", V, E],
            ["freq", "never", "Chưa dùng", "Never"],
            ["freq", "weekly", "Hằng tuần", "Weekly"],
            ["freq", "daily", "Hằng ngày", "Daily"],
            ["yn", "yes", "Có", "Yes"],
            ["yn", "no", "Không", "No"],
            *[["agree", str(n), f"Mức {n}", f"Level {n}"] for n in range(1, 6)],
        ],
        [
            ["form_title", "form_id", "default_language"],
            ["Khảo sát sau lớp học", "follow_up_xls", "Vietnamese (vi)"],
        ],
    )


def skill_test() -> bytes:
    """A short test with the platform's own columns: answer, points, competency, explanation."""
    return build(
        [
            [
                "type",
                "name",
                "label::vi",
                "label::en",
                "answer",
                "points",
                "competency",
                "explanation::vi",
                "explanation::en",
                "partial_credit",
            ],
            [
                "select_one abcd",
                "q1",
                "AI tạo sinh có thể sai không?",
                "Can generative AI be wrong?",
                "c",
                "1",
                "understanding_ai",
                "Có, nó đoán theo xác suất.",
                "Yes, it guesses.",
                "",
            ],
            [
                "select_multiple abcd",
                "q2",
                "Không nhập gì vào chatbot?",
                "What not to type?",
                "a d",
                "2",
                "privacy_safety",
                "",
                "",
                "yes",
            ],
            ["integer", "q3", "2 + 2 = ?", "2 + 2 = ?", "4", "1", "", "", "", ""],
        ],
        [
            ["list_name", "name", "label::vi", "label::en"],
            ["abcd", "a", "Mã OTP", "OTP codes"],
            ["abcd", "b", "Câu hỏi chung", "A general question"],
            ["abcd", "c", "Có", "Yes"],
            ["abcd", "d", "Số căn cước người khác", "Someone's ID number"],
        ],
        [["form_title", "form_id", "kind"], ["Bài kiểm tra nhanh", "quick-test", "skill_test"]],
    )


def unsupported() -> bytes:
    """Question types, columns and languages the platform cannot take, next to good ones."""
    return build(
        [
            [
                "type",
                "name",
                "label::Tiếng Việt",
                "label::Français (fr)",
                "default",
                "calculation",
                "choice_filter",
                "media::image",
                "my_column",
            ],
            ["text", "name_village", "Tên thôn", "Nom du village", "Bản Mù", "", "", "", ""],
            ["geopoint", "location", "Vị trí", "Position", "", "", "", "", ""],
            ["image", "photo", "Ảnh", "Photo", "", "", "", "", ""],
            ["calculate", "total", "", "", "", "1 + 1", "", "", ""],
            ["begin_repeat", "children", "Con", "Enfants", "", "", "", "", ""],
            ["text", "child_name", "Tên con", "Nom", "", "", "", "", ""],
            ["integer", "child_age", "Tuổi con", "Âge", "", "", "", "", ""],
            ["end_repeat", "", "", "", "", "", "", "", ""],
            ["select_one_from_file villages.csv", "village", "Thôn", "Village", "", "", "", "", ""],
            ["select_multiple_from_file crops.xml", "crops", "Cây trồng", "Cultures"] + [""] * 5,
            [
                "select_one freq",
                "ai_frequency",
                "Tần suất",
                "Fréquence",
                "",
                "",
                "name != ''",
                "ai.png",
                "x",
            ],
        ],
        [
            ["list_name", "name", "label::Tiếng Việt", "label::Français (fr)"],
            ["freq", "never", "Chưa", "Jamais"],
            ["freq", "daily", "Hằng ngày", "Quotidien"],
        ],
    )


def no_survey_sheet() -> bytes:
    book = Workbook()
    book.active.title = "questions"
    book.active.append(["type", "name", "label"])
    book.create_sheet("choices").append(["list_name", "name", "label"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bad_expression() -> bytes:
    """pyxform accepts these, but the platform's grammar does not (unknown function, syntax)."""
    return build(
        [
            ["type", "name", "label", "relevant", "constraint"],
            ["text", "phone", "Số điện thoại", "", "regex(., '^[0-9]+$')"],
            ["integer", "age", "Tuổi", "${phone} != ''", ". > > 5"],
        ]
    )


def unknown_reference() -> bytes:
    return build(
        [
            ["type", "name", "label", "relevant"],
            ["text", "village", "Thôn", "${nowhere} = 'x'"],
        ]
    )
