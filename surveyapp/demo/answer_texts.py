"""Vietnamese wording of the demo answers: workplaces, open answers, follow-up examples.

The follow-up example (the ``example`` long text) is a task of the learner's segment,
tagged with the purpose it serves, followed by what it brought: time saved, matching the
``time_saved`` answer, or a better result (one of ``QUALITY_GAINS``). Workplaces are
templates filled like ``content.py``'s: ``{c}``/``{C}`` the commune, ``{d}``/``{D}`` the
district (skipped on the two-level scheme), ``{V}`` a village, ``{S}`` a high school.
"""

from __future__ import annotations

from surveyapp.campaigns.models import Segment

# Where learners work, per segment; "" is someone who names no workplace.
WORKPLACES: dict[str, tuple[str, ...]] = {
    Segment.OFFICIAL: (
        "UBND {c}", "UBND {c}", "Đảng ủy {c}", "Hội Nông dân {c}", "Hội Liên hiệp Phụ nữ {c}",
        "Đoàn Thanh niên {c}", "Trạm Y tế {c}", "Ủy ban MTTQ Việt Nam {c}",
        "Văn phòng HĐND và UBND {d}", "Phòng Nông nghiệp và PTNT {d}", "Phòng Nội vụ {d}",
    ),
    Segment.TEACHER: (
        "Trường Tiểu học {C}", "Trường THCS {C}", "Trường Mầm non {C}", "{S}",
        "Trường Tiểu học và THCS {C}",
    ),
    Segment.BUSINESS: (
        "Hợp tác xã Nông lâm sản {C}", "Hợp tác xã chè {C}", "Hộ kinh doanh tạp hóa {V}",
        "Cửa hàng vật tư nông nghiệp {C}", "Hợp tác xã Dịch vụ du lịch cộng đồng {C}",
        "Homestay {V}", "Công ty TNHH Quế hồi {D}", "Cơ sở chế biến măng khô {C}",
    ),
    Segment.STUDENT: ("{S}",),
    Segment.RESIDENT: (
        "", "", "", "Chi hội Nông dân {V}", "Chi hội Phụ nữ {V}",
        "Tổ công nghệ số cộng đồng {V}", "Ban công tác Mặt trận {V}",
    ),
    Segment.OTHER: ("", "Bưu điện văn hóa {c}", "Ngân hàng Chính sách xã hội {d}"),
}  # fmt: skip

# Follow-up examples: (purpose they serve, the task), per segment; students say "Em".
TASKS: dict[str, tuple[tuple[str, str], ...]] = {
    Segment.OFFICIAL: (
        ("writing", "Tôi dùng AI soạn nháp thông báo họp thôn rồi sửa lại cho đúng lịch"),
        ("writing", "Tôi nhờ ChatGPT soạn dàn ý báo cáo kết quả công tác tháng của UBND xã"),
        (
            "summarising",
            "Tôi dùng Gemini tóm tắt một nghị quyết dài 30 trang để phổ biến cho trưởng thôn",
        ),
        (
            "writing",
            "Tôi dùng AI viết bài tuyên truyền phòng chống lừa đảo qua mạng đăng "
            "trên trang thông tin của xã",
        ),
        (
            "writing",
            "Tôi nhờ AI soạn kịch bản phát trên loa truyền thanh xã về phòng chống cháy rừng",
        ),
        (
            "questions",
            "Tôi dùng AI gợi ý cách trả lời phản ánh của người dân, đã bỏ hết "
            "tên và địa chỉ trước khi nhập",
        ),
        ("planning", "Tôi dùng AI lập kế hoạch tổ chức Ngày hội Đại đoàn kết ở khu dân cư"),
        ("summarising", "Tôi dùng AI tóm tắt biên bản cuộc họp giao ban hằng tuần"),
    ),
    Segment.TEACHER: (
        ("planning", "Tôi dùng AI gợi ý câu hỏi thảo luận cho bài Địa lí lớp 8 rồi chọn lọc lại"),
        ("writing", "Tôi nhờ AI soạn đề kiểm tra 15 phút, sau đó tự sửa lại đáp án"),
        ("images_video", "Tôi dùng AI tạo hình minh họa cho bài giảng trình chiếu"),
        ("writing", "Tôi dùng AI viết thư mời họp phụ huynh đầu năm học"),
        ("planning", "Tôi dùng AI gợi ý trò chơi khởi động cho tiết sinh hoạt lớp"),
        (
            "summarising",
            "Tôi dùng AI tóm tắt thông tư mới về đánh giá học sinh để báo cáo tổ chuyên môn",
        ),
    ),
    Segment.BUSINESS: (
        ("selling", "Tôi dùng AI viết mô tả sản phẩm quế, hồi để đăng bán trên Facebook và Zalo"),
        ("selling", "Tôi nhờ AI viết lời quảng cáo cho tour trải nghiệm ruộng bậc thang"),
        ("writing", "Tôi dùng AI soạn sẵn mẫu trả lời tin nhắn hỏi giá của khách"),
        ("planning", "Tôi dùng AI lập bảng theo dõi chi phí, lãi lỗ của cửa hàng"),
        (
            "translation",
            "Tôi dùng AI dịch phần giới thiệu chè Shan tuyết sang tiếng Anh, "
            "rồi nhờ người biết tiếng Anh đọc lại",
        ),
        ("images_video", "Tôi dùng AI làm video ngắn giới thiệu homestay của gia đình"),
    ),
    Segment.RESIDENT: (
        (
            "farming",
            "Tôi hỏi AI cách phòng bệnh vàng lá cho cây quế rồi hỏi lại cán bộ khuyến nông",
        ),
        ("farming", "Tôi dùng AI hỏi cách ủ thức ăn cho trâu bò trong mùa đông"),
        ("children_study", "Tôi nhờ AI giải thích một bài toán lớp 6 để kèm con học ở nhà"),
        ("selling", "Tôi dùng AI viết lời giới thiệu măng khô của gia đình để bán trên mạng"),
        ("questions", "Tôi dùng AI tra cách làm thủ tục cấp lại căn cước trên Cổng dịch vụ công"),
        (
            "questions",
            "Tôi dùng trợ lý giọng nói hỏi lịch tiêm phòng cho cháu rồi gọi trạm y tế xác nhận",
        ),
    ),
    Segment.STUDENT: (
        ("planning", "Em dùng AI gợi ý dàn ý bài nghị luận rồi tự viết bài"),
        ("questions", "Em nhờ AI giải thích lại bài Hóa học về phản ứng oxi hóa - khử"),
        ("translation", "Em dùng AI luyện nói và dịch tiếng Anh mỗi tối"),
        ("planning", "Em dùng AI lên kế hoạch ôn thi học kỳ"),
        (
            "images_video",
            "Em dùng AI tìm ý tưởng và làm hình minh họa cho sản phẩm dự thi của câu lạc bộ AI",
        ),
    ),
    Segment.OTHER: (
        ("questions", "Tôi dùng AI hỏi đáp các quy định mới về bảo hiểm xã hội"),
        ("writing", "Tôi nhờ AI viết thư cảm ơn khách hàng cuối năm"),
    ),
}

# What the time saved reads like, matching the ``time_saved`` answer.
TIME_GAINS = {
    "gt3": (", mỗi tuần tiết kiệm được hơn 3 giờ.", ", tiết kiệm hơn nửa ngày làm việc mỗi tuần."),
    "h1_3": (", tiết kiệm khoảng 1 giờ mỗi tuần.", ", mỗi tuần bớt được khoảng 2 giờ."),
    "m30_60": (", tiết kiệm khoảng 30 phút mỗi tuần.", ", mỗi tuần tiết kiệm chừng 45 phút."),
    "lt30": (", nhanh hơn trước một chút.",),
    "none": (", chưa tiết kiệm được thời gian.",),
}
# A better result described in the example (the rule's "quality gain"), per segment.
QUALITY_GAINS: dict[str, tuple[str, ...]] = {
    Segment.OFFICIAL: (" Văn bản mạch lạc và ít lỗi chính tả hơn.",
                       " Nội dung rõ ràng, người dân dễ hiểu hơn."),
    Segment.TEACHER: (" Bài giảng sinh động hơn, học sinh hào hứng hơn.",
                      " Câu hỏi đa dạng và sát bài học hơn."),
    Segment.BUSINESS: (" Bài đăng hấp dẫn hơn, khách hỏi mua nhiều hơn.",
                       " Lời giới thiệu chuyên nghiệp hơn."),
    Segment.RESIDENT: (" Tôi hiểu vấn đề rõ hơn trước khi hỏi cán bộ.",
                       " Con hiểu bài và tự làm được nhiều hơn."),
    Segment.STUDENT: (" Bài viết của em chặt chẽ hơn.", " Em hiểu bài sâu hơn."),
    Segment.OTHER: (" Nội dung rõ ràng, dễ hiểu hơn.",),
}  # fmt: skip
ALL_QUALITY_GAINS = tuple(gain for gains in QUALITY_GAINS.values() for gain in gains)
CHECKS = (
    " Tôi đã đọc và sửa lại trước khi dùng.",
    " Tôi có đối chiếu lại với tài liệu chính thức.",
)
# Answers too thin to count as a concrete example (all shorter than 30 characters).
VAGUE_EXAMPLES = ("Hỏi linh tinh cho vui.", "Dùng thử vài lần.", "Chưa làm được gì cụ thể.",
                  "Hỏi thời tiết.")  # fmt: skip

PURPOSES_OTHER = (
    "Viết lời chúc, thiệp mời đám cưới", "Tra cứu thủ tục hành chính",
    "Lập thực đơn cho gia đình", "Soạn nội quy tổ dân phố", "Học tiếng Trung để buôn bán",
)  # fmt: skip

EXPECTATIONS: dict[str, tuple[str, ...]] = {
    Segment.OFFICIAL: (
        "Biết cách dùng AI soạn văn bản, báo cáo nhanh hơn.",
        "Học cách viết câu lệnh để AI hiểu đúng ý mình.",
        "Dùng AI tóm tắt tài liệu, nghị quyết dài.",
    ),
    Segment.TEACHER: (
        "Ứng dụng AI soạn giáo án, bài giảng sinh động.",
        "Biết cách hướng dẫn học sinh dùng AI đúng mực.",
    ),
    Segment.BUSINESS: (
        "Dùng AI để bán hàng online hiệu quả hơn.",
        "Viết bài quảng cáo sản phẩm bằng AI.",
    ),
    Segment.RESIDENT: (
        "Biết dùng AI hỗ trợ con học bài.",
        "Hỏi AI kỹ thuật trồng trọt, chăn nuôi.",
        "Tôi chưa biết gì về AI, muốn được hướng dẫn từ đầu.",
        "Biết cách nhận ra cuộc gọi lừa đảo giả giọng người thân.",
    ),
    Segment.STUDENT: (
        "Dùng AI để học tốt hơn mà không phụ thuộc vào AI.",
        "Làm được sản phẩm AI cho câu lạc bộ của trường.",
    ),
    Segment.OTHER: ("Biết thêm về AI để dùng trong công việc.",),
}
MOST_USEFUL = (
    "Phần thực hành viết câu lệnh ngay trên điện thoại.",
    "Cách kiểm tra lại thông tin AI đưa ra.",
    "Các ví dụ lừa đảo bằng video giả mạo, rất thiết thực.",
    "Hướng dẫn soạn văn bản bằng AI.",
    "Biết những thông tin không được nhập vào AI.",
    "Được cài đặt và dùng thử ngay trên máy của mình.",
    "Giảng viên nhiệt tình, ví dụ gần gũi với công việc ở xã.",
)
IMPROVEMENTS = (
    "Nên có thêm thời gian thực hành.",
    "Lớp đông, giảng viên khó hỗ trợ từng người.",
    "Mạng wifi ở hội trường yếu.",
    "Nên có tài liệu in để mang về nhà.",
    "Nói chậm hơn một chút cho người lớn tuổi.",
    "Nên tổ chức thêm buổi nâng cao.",
)
SUPPORT_NEEDED = (
    "Cần thêm video hướng dẫn ngắn.",
    "Muốn có nhóm Zalo để hỏi khi gặp khó.",
    "Cần lớp nâng cao về soạn văn bản, báo cáo.",
    "Cần hướng dẫn dùng AI bằng giọng nói vì tôi gõ chữ chậm.",
    "Cần máy tính ở nhà văn hóa thôn để thực hành.",
)
