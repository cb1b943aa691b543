"""Document wording in Thai (ไทย): the polite written register of Thai public offices."""

NAME = 'ไทย'
BABEL_LOCALE = 'th_TH'

#: The booking slip (予約票).
SLIP = {
    'title': 'ใบจองห้อง',
    'title_provisional': 'ใบจองห้อง (จองชั่วคราว)',
    'subtitle': 'ใบจองห้อง',
    'slip_no': 'เลขที่การจอง',
    'issued': 'วันที่ออก',
    'applicant': 'ผู้ขอใช้',
    'registration_no': 'เลขทะเบียน',
    'applicant_class': 'ประเภทผู้ขอใช้',
    'facility': 'สถานที่',
    'room': 'ห้อง',
    'date': 'วันที่ใช้',
    'time': 'เวลา',
    'people': 'จำนวนผู้ใช้โดยประมาณ',
    'people_value': '{count} คน',
    'purpose': 'วัตถุประสงค์',
    'fee_heading': 'ค่าธรรมเนียม',
    'gross': 'ค่าใช้ห้อง',
    'exemption': 'การลดค่าธรรมเนียม',
    'exemption_value': '{name} ({rate}%)',
    'waived': 'จำนวนเงินที่ลด',
    'fee': 'จำนวนเงินที่ต้องชำระ',
    'none': 'ไม่มี',
    'money': 'การชำระเงิน',
    'money_paid': 'ชำระแล้ว (ใบเสร็จเลขที่ {receipts})',
    'money_due': 'ยังไม่ชำระ {amount} (ชำระภายใน {date})',
    'money_partly': 'ชำระบางส่วนแล้ว คงเหลือ {amount} (ชำระภายใน {date})',
    'money_exempt': 'ได้รับการยกเว้นค่าธรรมเนียมทั้งหมด',
    'money_legacy': 'ไม่มีบันทึก (จองก่อนเริ่มบันทึกการชำระเงิน)',
    'statement': 'ได้รับการจองของท่านตามรายละเอียดข้างต้นแล้ว',
    'statement_paid': 'ได้รับการจองของท่านตามรายละเอียดข้างต้นแล้ว ค่าธรรมเนียมได้ชำระเรียบร้อยแล้ว',
    'statement_due': 'ได้รับการจองของท่านตามรายละเอียดข้างต้นแล้ว กรุณาชำระค่าธรรมเนียมที่เคาน์เตอร์ภายในวันครบกำหนด ท่านจะได้รับใบเสร็จรับเงินเมื่อชำระเงิน',
    'statement_exempt': 'ได้รับการจองของท่านตามรายละเอียดข้างต้นแล้ว ท่านได้รับการยกเว้นค่าธรรมเนียมทั้งหมด',
    'statement_provisional': 'การจองนี้เป็นการจองชั่วคราว จะได้รับการยืนยันและใช้เป็นใบอนุญาตให้ใช้สถานที่เมื่อชำระค่าธรรมเนียมแล้ว',
    'statement_cancelled': 'การจองนี้ถูกยกเลิกแล้ว ({reason})',
    'statement_no_show': 'การจองนี้ถูกบันทึกว่าไม่มาใช้โดยไม่แจ้งล่วงหน้า',
    'rules_heading': 'เงื่อนไขการใช้',
    'clerk': 'เจ้าหน้าที่ผู้รับจอง',
    'tel': 'โทร.',
}

#: The use permit (使用許可書), the receipt (領収書) and both in one.
PERMIT = {
    'permit': 'ใบอนุญาตให้ใช้สถานที่',
    'receipt': 'ใบเสร็จรับเงิน',
    'both': 'ใบอนุญาตให้ใช้สถานที่และใบเสร็จรับเงิน',
    'permit_no': 'เลขที่ใบอนุญาต',
    'receipt_no': 'เลขที่ใบเสร็จ',
    'issued': 'วันที่ออก',
    'received': 'วันที่รับเงิน',
    'reissue': 'ฉบับออกใหม่',
    'voided': 'ยกเลิก (ใบเสร็จนี้ใช้ไม่ได้)',
    'honorific': '{name}',
    'registration_no': 'เลขทะเบียน',
    'address': 'ที่อยู่',
    'representative': 'ผู้แทน',
    'applicant_class': 'ประเภทผู้ขอใช้',
    'grant': 'อนุญาตให้ใช้สถานที่ตามรายการด้านล่างนี้',
    'col_date': 'วันที่และเวลา',
    'col_room': 'สถานที่ / ห้อง',
    'col_people': 'จำนวนคน',
    'col_purpose': 'วัตถุประสงค์',
    'col_fee': 'ค่าธรรมเนียม',
    'people_value': '{count}',
    'gross': 'ค่าธรรมเนียมก่อนหักส่วนลด',
    'exemption': 'การลดค่าธรรมเนียม',
    'exemption_value': '{name} ({rate}%)',
    'waived': 'จำนวนเงินที่ลด',
    'fee': 'ค่าธรรมเนียม',
    'paid': 'ชำระแล้ว',
    'status': 'การชำระเงิน',
    'status_paid': 'ชำระแล้ว',
    'status_due': 'ยังไม่ชำระ {amount} ชำระภายใน {date}',
    'status_due_no_date': 'ยังไม่ชำระ {amount}',
    'exempt': 'ได้รับการยกเว้นค่าธรรมเนียมทั้งหมด (減免により使用料は免除)',
    'conditions': 'เงื่อนไขการใช้',
    'amount': '{amount}',
    'proviso': 'รายการ: {text}',
    'receipt_statement': 'ได้รับเงินจำนวนข้างต้นไว้ถูกต้องแล้ว',
    'both_statement': 'อนุญาตให้ใช้สถานที่ตามรายการข้างต้น และได้รับค่าธรรมเนียมไว้ถูกต้องแล้ว',
    'method': 'วิธีชำระเงิน',
    'paid_for': 'รายการจองที่ชำระ',
    'seal_omitted': 'ไม่ประทับตราราชการ (公印省略)',
    'clerk': 'เจ้าหน้าที่',
    'tel': 'โทร.',
    'yen': '{amount}',
}

#: Payment methods (codes of ``domain.money.PaymentMethod``).
METHODS = {
    'cash': 'เงินสด',
    'transfer': 'โอนเงินผ่านธนาคาร',
    'invoice': 'ใบแจ้งชำระเงิน',
    'cashless': 'ชำระแบบไม่ใช้เงินสด',
}

#: Applicant classes of the default configuration (resources/seed/default_center.json).
APPLICANT_CLASSES = {
    'registered': 'กลุ่มที่ลงทะเบียนแล้ว',
    'resident': 'ผู้อาศัยในเขตเมืองนี้',
    'non_resident': 'ผู้อาศัยนอกเขตเมืองนี้',
}

#: A flyer's block in this language under the Japanese text.
FLYER = {
    'heading': 'ภาษาไทย',
    'when': 'วันที่',
    'where': 'สถานที่',
    'fee': 'ค่าใช้จ่าย',
    'capacity': 'จำนวนที่รับ',
    'apply': 'วิธีสมัคร',
    'contact': 'ติดต่อสอบถาม',
    'free': 'ไม่มีค่าใช้จ่าย',
    'yen': '{amount} เยน',
    'people': '{count} คน',
    'details': 'รายละเอียดเป็นภาษาญี่ปุ่นอยู่ด้านบน หากมีข้อสงสัย กรุณาสอบถามเจ้าหน้าที่',
}
