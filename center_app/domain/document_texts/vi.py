"""Document wording in Vietnamese (Tiếng Việt): the formal register of public offices
(``Quý vị``)."""

NAME = 'Tiếng Việt'
BABEL_LOCALE = 'vi_VN'

#: The booking slip (予約票).
SLIP = {
    'title': 'Phiếu Đặt Phòng',
    'title_provisional': 'Phiếu Đặt Phòng (tạm thời)',
    'subtitle': 'Phiếu đặt phòng',
    'slip_no': 'Số đặt phòng',
    'issued': 'Ngày cấp',
    'applicant': 'Người đăng ký',
    'registration_no': 'Số đăng ký',
    'applicant_class': 'Đối tượng',
    'facility': 'Cơ sở',
    'room': 'Phòng',
    'date': 'Ngày sử dụng',
    'time': 'Thời gian',
    'people': 'Số người dự kiến',
    'people_value': '{count}',
    'purpose': 'Mục đích sử dụng',
    'fee_heading': 'Phí',
    'gross': 'Phí sử dụng',
    'exemption': 'Giảm phí',
    'exemption_value': '{name} ({rate}%)',
    'waived': 'Số tiền được giảm',
    'fee': 'Số tiền phải trả',
    'none': 'Không',
    'money': 'Thanh toán',
    'money_paid': 'Đã thanh toán (biên lai {receipts})',
    'money_due': 'Chưa thanh toán {amount} (hạn chót {date})',
    'money_partly': 'Đã thanh toán một phần, còn lại {amount} (hạn chót {date})',
    'money_exempt': 'Được miễn toàn bộ phí',
    'money_legacy': 'Không có dữ liệu (đặt phòng trước khi bắt đầu ghi nhận thanh toán)',
    'statement': 'Chúng tôi đã tiếp nhận yêu cầu đặt phòng của Quý vị như trên.',
    'statement_paid': 'Chúng tôi đã tiếp nhận yêu cầu đặt phòng của Quý vị như trên. Phí sử dụng đã được thanh toán.',
    'statement_due': 'Chúng tôi đã tiếp nhận yêu cầu đặt phòng của Quý vị như trên. Xin Quý vị vui lòng thanh toán phí tại quầy trước hạn chót; biên lai sẽ được giao khi thanh toán.',
    'statement_exempt': 'Chúng tôi đã tiếp nhận yêu cầu đặt phòng của Quý vị như trên. Quý vị được miễn toàn bộ phí sử dụng.',
    'statement_provisional': 'Đây là đặt phòng tạm thời. Đặt phòng sẽ được xác nhận và có giá trị như giấy phép sử dụng sau khi thanh toán phí.',
    'statement_cancelled': 'Đặt phòng này đã bị hủy ({reason}).',
    'statement_no_show': 'Đặt phòng này đã được ghi nhận là vắng mặt không báo trước.',
    'rules_heading': 'Điều kiện sử dụng',
    'clerk': 'Nhân viên tiếp nhận',
    'tel': 'ĐT',
}

#: The use permit (使用許可書), the receipt (領収書) and both in one.
PERMIT = {
    'permit': 'Giấy Phép Sử Dụng Cơ Sở',
    'receipt': 'Biên Lai',
    'both': 'Giấy Phép Sử Dụng Cơ Sở kiêm Biên Lai',
    'permit_no': 'Số giấy phép',
    'receipt_no': 'Số biên lai',
    'issued': 'Ngày cấp',
    'received': 'Ngày nhận tiền',
    'reissue': 'CẤP LẠI',
    'voided': 'ĐÃ HỦY (biên lai này không còn hiệu lực)',
    'honorific': '{name}',
    'registration_no': 'Số đăng ký',
    'address': 'Địa chỉ',
    'representative': 'Người đại diện',
    'applicant_class': 'Đối tượng',
    'grant': 'Cho phép sử dụng cơ sở như dưới đây.',
    'col_date': 'Ngày và giờ',
    'col_room': 'Cơ sở / phòng',
    'col_people': 'Số người',
    'col_purpose': 'Mục đích',
    'col_fee': 'Phí',
    'people_value': '{count}',
    'gross': 'Phí trước khi giảm',
    'exemption': 'Giảm phí',
    'exemption_value': '{name} ({rate}%)',
    'waived': 'Số tiền được giảm',
    'fee': 'Phí sử dụng',
    'paid': 'Đã thanh toán',
    'status': 'Thanh toán',
    'status_paid': 'Đã thanh toán',
    'status_due': 'Chưa thanh toán {amount}, hạn chót {date}',
    'status_due_no_date': 'Chưa thanh toán {amount}',
    'exempt': 'Được miễn toàn bộ phí sử dụng (減免により使用料は免除)',
    'conditions': 'Điều kiện sử dụng',
    'amount': '{amount}',
    'proviso': 'Nội dung: {text}',
    'receipt_statement': 'Chúng tôi xác nhận đã nhận đủ số tiền nêu trên.',
    'both_statement': 'Cho phép sử dụng cơ sở như trên và xác nhận đã nhận phí sử dụng.',
    'method': 'Hình thức thanh toán',
    'paid_for': 'Các đặt phòng được thanh toán',
    'seal_omitted': 'Miễn đóng dấu chính thức (公印省略)',
    'clerk': 'Nhân viên',
    'tel': 'ĐT',
    'yen': '{amount}',
}

#: Payment methods (codes of ``domain.money.PaymentMethod``).
METHODS = {
    'cash': 'Tiền mặt',
    'transfer': 'Chuyển khoản ngân hàng',
    'invoice': 'Phiếu nộp tiền',
    'cashless': 'Thanh toán không dùng tiền mặt',
}

#: Applicant classes of the default configuration (resources/seed/default_center.json).
APPLICANT_CLASSES = {
    'registered': 'Nhóm đã đăng ký',
    'resident': 'Cư dân thành phố',
    'non_resident': 'Người sống ngoài thành phố',
}

#: A flyer's block in this language under the Japanese text.
FLYER = {
    'heading': 'Tiếng Việt',
    'when': 'Ngày',
    'where': 'Địa điểm',
    'fee': 'Phí tham gia',
    'capacity': 'Số lượng',
    'apply': 'Cách đăng ký',
    'contact': 'Liên hệ',
    'free': 'Miễn phí',
    'yen': '{amount} yên',
    'people': '{count} người',
    'details': 'Thông tin chi tiết được ghi bằng tiếng Nhật ở phía trên. Nếu có thắc mắc, xin vui lòng liên hệ với chúng tôi.',
}
