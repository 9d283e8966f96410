"""Vietnamese wording of the demo: organisations, positions, class titles, venues, materials.

Everything is a template filled with real unit names: ``{c}`` is the commune as written
inside a sentence ("xã Lâm Giang"), ``{d}`` the district ("huyện Văn Yên"), ``{C}`` and
``{D}`` their proper names alone ("Lâm Giang", "Văn Yên"), ``{V}`` a village ("thôn Khe
Cam", or "tổ dân phố số 3" in a ward or town), ``{S}`` a high school. The demo then reads
like the work of a real province. Templates naming a district are skipped on the two-level
scheme of 2025, which has none.
"""

from __future__ import annotations

from surveyapp.campaigns.models import Segment

# (organisation, position) of core members, per segment.
MEMBER_ROLES: dict[str, tuple[tuple[str, str], ...]] = {
    Segment.OFFICIAL: (
        ("UBND {c}", "Phó Chủ tịch UBND"),
        ("UBND {c}", "Công chức Văn phòng - Thống kê"),
        ("UBND {c}", "Công chức Văn hóa - Xã hội"),
        ("Đoàn Thanh niên {c}", "Bí thư Đoàn"),
        ("Hội Liên hiệp Phụ nữ {c}", "Chủ tịch Hội"),
        ("Phòng Văn hóa và Thông tin {d}", "Chuyên viên"),
        ("Văn phòng HĐND và UBND {d}", "Chuyên viên công nghệ thông tin"),
    ),
    Segment.TEACHER: (
        ("Trường THCS {C}", "Giáo viên Tin học"),
        ("Trường Tiểu học {C}", "Giáo viên"),
        ("{S}", "Giáo viên Tin học"),
        ("Trung tâm GDNN - GDTX {D}", "Giáo viên"),
    ),
    Segment.BUSINESS: (
        ("Hợp tác xã Nông lâm sản {C}", "Giám đốc"),
        ("Hợp tác xã Quế hồi {C}", "Kế toán"),
        ("Trung tâm Viettel {d}", "Nhân viên kỹ thuật"),
        ("Trung tâm Viễn thông {D}", "Kỹ sư công nghệ thông tin"),
        ("Bưu điện {d}", "Giao dịch viên"),
    ),
    Segment.STUDENT: (
        ("{S}", "Thành viên Câu lạc bộ AI"),
        ("{S}", "Bí thư Chi đoàn lớp 11"),
    ),
    Segment.RESIDENT: (
        ("Tổ công nghệ số cộng đồng {V}, {c}", "Tổ trưởng"),
        ("Tổ công nghệ số cộng đồng {V}, {c}", "Thành viên"),
    ),
}

# How often each segment appears among core members and among generated classes.
MEMBER_SEGMENT_WEIGHTS = {
    Segment.OFFICIAL: 45, Segment.TEACHER: 20, Segment.BUSINESS: 12,
    Segment.STUDENT: 6, Segment.RESIDENT: 17,
}  # fmt: skip
CLASS_SEGMENT_WEIGHTS = {
    Segment.OFFICIAL: 30, Segment.RESIDENT: 35, Segment.BUSINESS: 15,
    Segment.STUDENT: 10, Segment.TEACHER: 10,
}  # fmt: skip

# (title, venue) of generated classes, per segment.
CLASS_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    Segment.OFFICIAL: (
        ("Bình dân học AI cho cán bộ, công chức {c}", "Hội trường UBND {c}"),
        ("AI hỗ trợ soạn thảo văn bản hành chính - cán bộ {c}", "Hội trường UBND {c}"),
        ("Ứng dụng AI trong công việc hằng ngày cho cán bộ {c}", "Hội trường UBND {c}"),
    ),
    Segment.RESIDENT: (
        ("Bình dân học AI cho người dân {c}", "Nhà văn hóa {V}, {c}"),
        ("Dùng AI trên điện thoại thông minh cho bà con {c}", "Hội trường UBND {c}"),
        ("An toàn khi dùng AI, nhận diện lừa đảo deepfake - {c}", "Nhà văn hóa {V}, {c}"),
    ),
    Segment.BUSINESS: (
        ("AI hỗ trợ bán hàng trực tuyến cho hộ kinh doanh {c}", "Hội trường UBND {c}"),
        ("AI trong quản trị, sản xuất, kinh doanh cho hợp tác xã {d}", "Hội trường UBND {c}"),
    ),
    Segment.STUDENT: (
        ("Làm quen với AI trong học tập cho học sinh {S}", "Phòng Tin học {S}"),
        ("AI và an toàn trên không gian mạng cho học sinh, đoàn viên {c}", "Hội trường UBND {c}"),
    ),
    Segment.TEACHER: (
        ("Ứng dụng AI soạn bài giảng cho giáo viên {d}", "Trường THCS {C}"),
        ("AI hỗ trợ đổi mới phương pháp dạy học - giáo viên {c}", "Trường Tiểu học {C}"),
    ),
}

# Seats per class, per segment (low, high).
CAPACITY_RANGES = {
    Segment.OFFICIAL: (30, 60), Segment.RESIDENT: (40, 90), Segment.BUSINESS: (25, 50),
    Segment.STUDENT: (40, 80), Segment.TEACHER: (30, 50), Segment.OTHER: (20, 40),
}  # fmt: skip

VILLAGES = ("Trung Tâm", "Khe Cam", "Đồng Tâm", "Làng Chạp", "Bản Mới", "Khe Dầm", "Ngòi Kè",
            "Làng Câu", "Đồng Bằng", "Khe Lóng", "Tân Lập", "Thác Hoa", "Hồng Phong",
            "Khe Trang", "Làng Hốc", "Bản Tát")  # fmt: skip

# High schools of each district of the 2024 scheme (official codes), for teachers and students.
HIGH_SCHOOLS = {
    "132": ("Trường THPT Nguyễn Huệ", "Trường THPT Lý Thường Kiệt", "Trường THPT Hoàng Quốc Việt"),
    "133": ("Trường THPT Nghĩa Lộ", "Trường PTDTNT THPT Miền Tây"),
    "135": ("Trường THPT Hoàng Văn Thụ", "Trường THPT Mai Sơn"),
    "136": ("Trường THPT Chu Văn An", "Trường THPT Trần Phú", "Trường THPT Nguyễn Lương Bằng"),
    "137": ("Trường THPT Mù Cang Chải",),
    "138": ("Trường THPT Lê Quý Đôn",),
    "139": ("Trường THPT Trạm Tấu",),
    "140": ("Trường THPT Văn Chấn", "Trường THPT Sơn Thịnh"),
    "141": ("Trường THPT Trần Nhật Duật", "Trường THPT Cảm Ân", "Trường THPT Thác Bà"),
}

# Topics of the videos and documents; each is published as a guide, a video or a lecture.
MATERIAL_TOPICS = (
    "Dùng AI soạn văn bản hành chính",
    "Viết câu lệnh (prompt) rõ ràng cho người mới bắt đầu",
    "Dùng AI tóm tắt tài liệu dài",
    "Nhận diện cuộc gọi video giả mạo (deepfake)",
    "Kiểm chứng thông tin do AI đưa ra",
    "Bảo vệ dữ liệu cá nhân khi dùng AI",
    "Dùng AI trả lời phản ánh, kiến nghị của người dân",
    "Dùng AI lập kế hoạch công tác tháng",
    "Dùng AI viết bài tuyên truyền trên trang thông tin điện tử xã",
    "Dùng AI dịch tài liệu tiếng Anh",
    "Dùng AI viết nội dung bán hàng trực tuyến",
    "Dùng AI quảng bá sản phẩm OCOP",
    "Dùng AI giới thiệu điểm du lịch cộng đồng",
    "Dùng AI tra cứu kỹ thuật trồng quế, chè",
    "Dùng AI hỏi đáp kỹ thuật chăn nuôi",
    "Dùng AI hỗ trợ con em học tập",
    "Dùng AI soạn giáo án và câu hỏi kiểm tra",
    "Dùng AI thiết kế bài giảng trình chiếu",
    "Dùng AI tạo hình ảnh minh họa",
    "Dùng AI làm video ngắn giới thiệu quê hương",
    "Sử dụng trợ lý ảo trên điện thoại thông minh",
    "Dùng AI bằng giọng nói tiếng Việt",
    "Dùng AI lập bảng tính và báo cáo số liệu",
    "Dùng AI chuẩn bị nội dung cuộc họp",
    "Nhận biết những việc không giao hoàn toàn cho AI",
    "Rà soát văn bản do AI hỗ trợ trước khi ký, ban hành",
    "Phòng tránh lừa đảo trực tuyến dùng công nghệ AI",
    "Dùng AI trong công tác Đoàn, Hội",
    "Dùng AI hỗ trợ thủ tục dịch vụ công trực tuyến",
    "Dùng AI ghi biên bản và tóm tắt cuộc họp",
    "Dùng AI học ngoại ngữ",
    "Dùng AI trong sinh hoạt câu lạc bộ AI của trường học",
    "Dùng AI tìm hiểu chính sách hỗ trợ sản xuất",
    "Dùng AI tính toán chi phí, lãi lỗ cho hộ kinh doanh",
    "Dùng AI xây dựng kịch bản truyền thanh cơ sở",
)
MATERIAL_FORMATS = (
    ("document", "Hướng dẫn {t}"),
    ("video", "Video: {T}"),
    ("document", "Bài giảng: {T}"),
)


def without_district(templates: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The templates that name no district, for places of the two-level scheme."""
    return tuple(t for t in templates if not any(k in "".join(t) for k in ("{d}", "{D}")))


def material_titles() -> list[tuple[str, str]]:
    """Every (kind, title) the topics give, in a fixed order; callers pick with their RNG."""
    titles = []
    for topic in MATERIAL_TOPICS:
        lowered = topic[:1].lower() + topic[1:] if topic[1:2].islower() else topic
        for kind, pattern in MATERIAL_FORMATS:
            titles.append((kind, pattern.format(t=lowered, T=topic)))
    return titles
