"""Document wording in Simplified Chinese (中文（简体）), as used in mainland China."""

NAME = '中文（简体）'
BABEL_LOCALE = 'zh_Hans_CN'

#: The booking slip (予約票).
SLIP = {
    'title': '设施预约单',
    'title_provisional': '设施预约单（临时预约）',
    'subtitle': '预约单',
    'slip_no': '预约编号',
    'issued': '开具日期',
    'applicant': '使用者',
    'registration_no': '登记编号',
    'applicant_class': '申请人类别',
    'facility': '设施',
    'room': '房间',
    'date': '使用日期',
    'time': '使用时间',
    'people': '预计人数',
    'people_value': '{count}人',
    'purpose': '使用目的',
    'fee_heading': '费用',
    'gross': '使用费',
    'exemption': '减免',
    'exemption_value': '{name}（{rate}%）',
    'waived': '减免金额',
    'fee': '应付金额',
    'none': '无',
    'money': '缴费',
    'money_paid': '已缴纳（收据编号 {receipts}）',
    'money_due': '未缴纳 {amount}（缴费期限 {date}）',
    'money_partly': '已部分缴纳，余额 {amount}（缴费期限 {date}）',
    'money_exempt': '经减免，免收使用费',
    'money_legacy': '无记录（开始记录缴费之前的预约）',
    'statement': '已按上述内容受理您的预约。',
    'statement_paid': '已按上述内容受理您的预约。使用费已缴纳。',
    'statement_due': '已按上述内容受理您的预约。请在缴费期限前到窗口缴纳使用费，缴费时将向您开具收据。',
    'statement_exempt': '已按上述内容受理您的预约。经减免，免收使用费。',
    'statement_provisional': '此为临时预约。缴纳使用费后，预约即告确定，并视为使用许可。',
    'statement_cancelled': '此预约已取消（{reason}）。',
    'statement_no_show': '此预约已记录为未事先通知而未到场。',
    'rules_heading': '使用条件',
    'clerk': '受理人',
    'tel': '电话',
}

#: The use permit (使用許可書), the receipt (領収書) and both in one.
PERMIT = {
    'permit': '设施使用许可证',
    'receipt': '收据',
    'both': '设施使用许可证兼收据',
    'permit_no': '许可编号',
    'receipt_no': '收据编号',
    'issued': '开具日期',
    'received': '收款日期',
    'reissue': '补发',
    'voided': '作废（本收据无效）',
    'honorific': '{name}',
    'registration_no': '登记编号',
    'address': '地址',
    'representative': '代表人',
    'applicant_class': '申请人类别',
    'grant': '兹许可使用下列设施。',
    'col_date': '使用日期及时间',
    'col_room': '设施及房间',
    'col_people': '人数',
    'col_purpose': '使用目的',
    'col_fee': '使用费',
    'people_value': '{count}人',
    'gross': '使用费（减免前）',
    'exemption': '减免',
    'exemption_value': '{name}（{rate}%）',
    'waived': '减免金额',
    'fee': '使用费',
    'paid': '已缴金额',
    'status': '缴费',
    'status_paid': '已缴纳',
    'status_due': '未缴纳 {amount}，缴费期限 {date}',
    'status_due_no_date': '未缴纳 {amount}',
    'exempt': '经减免，免收使用费（減免により使用料は免除）',
    'conditions': '使用条件',
    'amount': '{amount}',
    'proviso': '用途：{text}',
    'receipt_statement': '上述款项已如数收讫。',
    'both_statement': '兹许可使用上述设施，使用费已如数收讫。',
    'method': '缴费方式',
    'paid_for': '缴费明细',
    'seal_omitted': '省略公章（公印省略）',
    'clerk': '经办人',
    'tel': '电话',
    'yen': '{amount}',
}

#: Payment methods (codes of ``domain.money.PaymentMethod``).
METHODS = {
    'cash': '现金',
    'transfer': '银行转账',
    'invoice': '缴费单',
    'cashless': '无现金支付',
}

#: Applicant classes of the default configuration (resources/seed/default_center.json).
APPLICANT_CLASSES = {
    'registered': '登记团体',
    'resident': '本市居民',
    'non_resident': '非本市居民',
}

#: A flyer's block in this language under the Japanese text.
FLYER = {
    'heading': '中文',
    'when': '日期',
    'where': '地点',
    'fee': '费用',
    'capacity': '名额',
    'apply': '报名方式',
    'contact': '咨询',
    'free': '免费',
    'yen': '{amount}日元',
    'people': '{count}人',
    'details': '详细内容请参阅上方日文。如有疑问，欢迎咨询。',
}
