"""The consent texts shown to trainees, kept here with their version.

A consent is asked per purpose (Law 91/2025/QH15: voluntary, informed of the data, the
purpose, who processes it and the person's rights; silence is not consent). Each
``Consent`` row stores ``CONSENT_TEXT_VERSION``, so what a person agreed to can always be
shown again. Never edit a text in place: add the new wording under a new version and keep
the old one in ``PREVIOUS_TEXTS``.
"""

from __future__ import annotations

from surveyapp.participants.models import ConsentPurpose

CONSENT_TEXT_VERSION = "2026-01"

# Texts are versioned data, not interface strings: they are not run through gettext.
CONSENT_TEXTS: dict[str, dict[str, dict[str, str]]] = {
    ConsentPurpose.EVALUATION: {
        "title": {
            "vi": "Dùng câu trả lời để đánh giá lớp học",
            "en": "Using your answers to evaluate the class",
        },
        "body": {
            "vi": (
                "Ban tổ chức lớp “Bình dân học AI” xin lưu họ tên, năm sinh, giới tính, "
                "nhóm đối tượng, nơi làm việc, xã/phường của bạn cùng các câu trả lời và "
                "điểm bài kiểm tra, để đánh giá lớp học có giúp ích cho người học hay không. "
                "Kết quả chỉ báo cáo dưới dạng số liệu tổng hợp, không nêu tên bạn, không "
                "bán hay chia sẻ cho ai khác. Bạn có quyền xem, sửa, xóa dữ liệu của mình "
                "hoặc rút lại sự đồng ý bất cứ lúc nào bằng cách báo với giảng viên. "
                "Nếu bạn không đồng ý, chúng tôi không lưu gì cả."
            ),
            "en": (
                "The organisers of the “AI learning for everyone” class would like to keep "
                "your name, birth year, gender, learner group, workplace and commune together "
                "with your answers and test score, to find out whether the class helps its "
                "learners. Results are reported only as totals, never with your name, and are "
                "not sold or shared with anyone else. You may see, correct or delete your data "
                "or withdraw your consent at any time by telling the trainer. If you do not "
                "agree, nothing is stored."
            ),
        },
    },
    ConsentPurpose.FOLLOW_UP: {
        "title": {
            "vi": "Liên hệ lại sau khóa học",
            "en": "Being contacted after the class",
        },
        "body": {
            "vi": (
                "Khoảng 1 đến 3 tháng sau, chúng tôi có thể gọi điện hoặc nhắn tin hỏi bạn "
                "đã dùng AI vào việc gì. Nếu đồng ý, hãy để lại số điện thoại; số này chỉ "
                "dùng để liên hệ việc đó và để nhận ra bạn ở các lần khảo sát sau, không "
                "bao giờ được in ra hay chia sẻ. Nếu không đồng ý, bạn vẫn học và làm bài "
                "bình thường."
            ),
            "en": (
                "One to three months later we may call or text you to ask what you use AI "
                "for. If you agree, leave your phone number; it is used only for that and to "
                "recognise you in later surveys, and is never printed or shared. If you do "
                "not agree, you take part in the class as usual."
            ),
        },
    },
}

# Older wordings, by version, for showing what a person agreed to earlier.
PREVIOUS_TEXTS: dict[str, dict[str, dict[str, dict[str, str]]]] = {}


def _pick(texts: dict[str, str], locale: str) -> str:
    return texts.get(locale) or texts.get("vi") or next(iter(texts.values()), "")


def consent_text(purpose: str, locale: str, version: str = CONSENT_TEXT_VERSION) -> dict:
    """``{"title": ..., "body": ...}`` of ``purpose`` in ``locale`` as worded in ``version``."""
    texts = CONSENT_TEXTS if version == CONSENT_TEXT_VERSION else PREVIOUS_TEXTS[version]
    entry = texts[purpose]
    return {"title": _pick(entry["title"], locale), "body": _pick(entry["body"], locale)}
