"""Document wording in English."""

NAME = 'English'
BABEL_LOCALE = 'en'

#: The English line a registration certificate (登録証) may carry under its Japanese title (A4),
#: and its short form beside the title on the card.
CERTIFICATE_LINE = 'Certificate of Registration as a Citizen Activity Group'
CERTIFICATE_LINE_SHORT = 'Certificate of Registration'

#: The booking slip (予約票).
SLIP = {
    'title': 'Room Booking Slip',
    'title_provisional': 'Room Booking Slip (provisional)',
    'subtitle': 'Booking slip',
    'slip_no': 'Booking no.',
    'issued': 'Issued',
    'applicant': 'Applicant',
    'registration_no': 'Registration no.',
    'applicant_class': 'Applicant class',
    'facility': 'Facility',
    'room': 'Room',
    'date': 'Date of use',
    'time': 'Time',
    'people': 'Expected people',
    'people_value': '{count}',
    'purpose': 'Purpose',
    'fee_heading': 'Charges',
    'gross': 'Room fee',
    'exemption': 'Fee reduction',
    'exemption_value': '{name} ({rate}%)',
    'waived': 'Amount waived',
    'fee': 'Amount to pay',
    'none': 'None',
    'money': 'Payment',
    'money_paid': 'Paid (receipt {receipts})',
    'money_due': 'Unpaid {amount} (due by {date})',
    'money_partly': 'Partly paid, {amount} left (due by {date})',
    'money_exempt': 'The fee is waived in full',
    'money_legacy': 'No record (booked before payments were recorded)',
    'statement': 'We have received your booking as shown above.',
    'statement_paid': 'We have received your booking as shown above. The fee has been paid.',
    'statement_due': 'We have received your booking as shown above. Please pay the fee at the counter by the due date; you receive a receipt when you pay.',
    'statement_exempt': 'We have received your booking as shown above. The fee is waived in full.',
    'statement_provisional': 'This is a provisional booking. It is confirmed and becomes a use permit when the fee is paid.',
    'statement_cancelled': 'This booking has been cancelled ({reason}).',
    'statement_no_show': 'This booking was recorded as a no-show.',
    'rules_heading': 'Conditions of use',
    'clerk': 'Clerk',
    'tel': 'Tel.',
}

#: The use permit (使用許可書), the receipt (領収書) and both in one.
PERMIT = {
    'permit': 'Room Use Permit',
    'receipt': 'Receipt',
    'both': 'Room Use Permit and Receipt',
    'permit_no': 'Permit no.',
    'receipt_no': 'Receipt no.',
    'issued': 'Issued',
    'received': 'Received',
    'reissue': 'REISSUED',
    'voided': 'VOID (this receipt is cancelled)',
    'honorific': '{name}',
    'registration_no': 'Registration no.',
    'address': 'Address',
    'representative': 'Representative',
    'applicant_class': 'Applicant class',
    'grant': 'The use of the facility below is permitted.',
    'col_date': 'Date and time',
    'col_room': 'Facility / room',
    'col_people': 'People',
    'col_purpose': 'Purpose',
    'col_fee': 'Fee',
    'people_value': '{count}',
    'gross': 'Fee before reduction',
    'exemption': 'Fee reduction',
    'exemption_value': '{name} ({rate}%)',
    'waived': 'Amount waived',
    'fee': 'Fee',
    'paid': 'Paid',
    'status': 'Payment',
    'status_paid': 'Paid',
    'status_due': 'Unpaid {amount}, due by {date}',
    'status_due_no_date': 'Unpaid {amount}',
    'exempt': 'The fee is waived in full (減免により使用料は免除)',
    'conditions': 'Conditions of use',
    'amount': '{amount}',
    'proviso': 'For: {text}',
    'receipt_statement': 'We acknowledge receipt of the amount above.',
    'both_statement': 'The use of the facility above is permitted and the fee has been received.',
    'method': 'Paid by',
    'paid_for': 'Bookings paid',
    'seal_omitted': 'Official seal omitted (公印省略)',
    'clerk': 'Clerk',
    'tel': 'Tel.',
    'yen': '{amount}',
}

#: Payment methods (codes of ``domain.money.PaymentMethod``).
METHODS = {
    'cash': 'Cash',
    'transfer': 'Bank transfer',
    'invoice': 'Payment slip',
    'cashless': 'Cashless',
}

#: Applicant classes of the default configuration (resources/seed/default_center.json).
APPLICANT_CLASSES = {
    'registered': 'Registered group',
    'resident': 'Resident of the city',
    'non_resident': 'From outside the city',
}

#: A flyer's block in this language under the Japanese text.
FLYER = {
    'heading': 'English',
    'when': 'Date',
    'where': 'Place',
    'fee': 'Fee',
    'capacity': 'Capacity',
    'apply': 'How to apply',
    'contact': 'Contact',
    'free': 'Free',
    'yen': '{amount} yen',
    'people': '{count} people',
    'details': 'Details are in Japanese above. Please ask us if you have questions.',
}
