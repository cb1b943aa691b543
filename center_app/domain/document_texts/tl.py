"""Document wording in Filipino (Tagalog): the polite register (``po``, ``ninyo``) of Philippine
public offices, with the English words Filipino offices use for money (cash, bank transfer)."""

NAME = 'Filipino (Tagalog)'
BABEL_LOCALE = 'fil_PH'

#: The booking slip (予約票).
SLIP = {
    'title': 'Slip ng Reserbasyon ng Silid',
    'title_provisional': 'Slip ng Reserbasyon ng Silid (pansamantala)',
    'subtitle': 'Slip ng reserbasyon',
    'slip_no': 'Blg. ng reserbasyon',
    'issued': 'Petsa ng pag-isyu',
    'applicant': 'Aplikante',
    'registration_no': 'Blg. ng rehistro',
    'applicant_class': 'Uri ng aplikante',
    'facility': 'Pasilidad',
    'room': 'Silid',
    'date': 'Petsa ng paggamit',
    'time': 'Oras',
    'people': 'Inaasahang bilang ng tao',
    'people_value': '{count}',
    'purpose': 'Layunin',
    'fee_heading': 'Mga bayarin',
    'gross': 'Bayad sa silid',
    'exemption': 'Bawas sa bayad',
    'exemption_value': '{name} ({rate}%)',
    'waived': 'Halagang ibinawas',
    'fee': 'Halagang babayaran',
    'none': 'Wala',
    'money': 'Pagbabayad',
    'money_paid': 'Bayad na (resibo {receipts})',
    'money_due': 'Hindi pa bayad: {amount} (hanggang {date})',
    'money_partly': 'Bahagyang bayad; natitira: {amount} (hanggang {date})',
    'money_exempt': 'Hindi na sisingilin ang buong bayad',
    'money_legacy': 'Walang tala (reserbasyon bago nagsimula ang pagtatala ng bayad)',
    'statement': 'Natanggap po namin ang inyong reserbasyon ayon sa nakasaad sa itaas.',
    'statement_paid': 'Natanggap po namin ang inyong reserbasyon ayon sa nakasaad sa itaas. Bayad na po ang bayarin.',
    'statement_due': 'Natanggap po namin ang inyong reserbasyon ayon sa nakasaad sa itaas. Pakibayaran po ang bayarin sa counter hanggang sa takdang petsa; ibibigay ang resibo sa oras ng pagbabayad.',
    'statement_exempt': 'Natanggap po namin ang inyong reserbasyon ayon sa nakasaad sa itaas. Hindi na po sisingilin ang buong bayarin.',
    'statement_provisional': 'Ito po ay pansamantalang reserbasyon. Makukumpirma ito at magsisilbing permiso sa paggamit kapag nabayaran na ang bayarin.',
    'statement_cancelled': 'Kinansela na po ang reserbasyong ito ({reason}).',
    'statement_no_show': 'Naitala po ang reserbasyong ito bilang hindi dumating nang walang abiso.',
    'rules_heading': 'Mga kondisyon sa paggamit',
    'clerk': 'Kawaning tumanggap',
    'tel': 'Tel.',
}

#: The use permit (使用許可書), the receipt (領収書) and both in one.
PERMIT = {
    'permit': 'Permiso sa Paggamit ng Pasilidad',
    'receipt': 'Resibo',
    'both': 'Permiso sa Paggamit ng Pasilidad at Resibo',
    'permit_no': 'Blg. ng permiso',
    'receipt_no': 'Blg. ng resibo',
    'issued': 'Petsa ng pag-isyu',
    'received': 'Petsa ng pagbabayad',
    'reissue': 'MULING INILABAS',
    'voided': 'KANSELADO (hindi na balido ang resibong ito)',
    'honorific': '{name}',
    'registration_no': 'Blg. ng rehistro',
    'address': 'Tirahan',
    'representative': 'Kinatawan',
    'applicant_class': 'Uri ng aplikante',
    'grant': 'Pinahihintulutan ang paggamit ng pasilidad na nakasaad sa ibaba.',
    'col_date': 'Petsa at oras',
    'col_room': 'Pasilidad / silid',
    'col_people': 'Tao',
    'col_purpose': 'Layunin',
    'col_fee': 'Bayad',
    'people_value': '{count}',
    'gross': 'Bayad bago ang bawas',
    'exemption': 'Bawas sa bayad',
    'exemption_value': '{name} ({rate}%)',
    'waived': 'Halagang ibinawas',
    'fee': 'Bayad',
    'paid': 'Nabayaran na',
    'status': 'Pagbabayad',
    'status_paid': 'Bayad na',
    'status_due': 'Hindi pa bayad: {amount}; hanggang {date}',
    'status_due_no_date': 'Hindi pa bayad: {amount}',
    'exempt': 'Hindi na sisingilin ang buong bayad (減免により使用料は免除)',
    'conditions': 'Mga kondisyon sa paggamit',
    'amount': '{amount}',
    'proviso': 'Para sa: {text}',
    'receipt_statement': 'Natanggap namin ang halagang nakasaad sa itaas.',
    'both_statement': 'Pinahihintulutan ang paggamit ng pasilidad na nakasaad sa itaas at natanggap na ang bayad.',
    'method': 'Paraan ng pagbabayad',
    'paid_for': 'Mga reserbasyong binayaran',
    'seal_omitted': 'Walang opisyal na selyo (公印省略)',
    'clerk': 'Kawani',
    'tel': 'Tel.',
    'yen': '{amount}',
}

#: Payment methods (codes of ``domain.money.PaymentMethod``).
METHODS = {
    'cash': 'Cash',
    'transfer': 'Bank transfer',
    'invoice': 'Payment slip',
    'cashless': 'Cashless na pagbabayad',
}

#: Applicant classes of the default configuration (resources/seed/default_center.json).
APPLICANT_CLASSES = {
    'registered': 'Rehistradong grupo',
    'resident': 'Residente ng lungsod',
    'non_resident': 'Hindi residente ng lungsod',
}

#: A flyer's block in this language under the Japanese text.
FLYER = {
    'heading': 'Filipino',
    'when': 'Petsa',
    'where': 'Lugar',
    'fee': 'Bayad',
    'capacity': 'Bilang ng makakasali',
    'apply': 'Paano magpatala',
    'contact': 'Makipag-ugnayan',
    'free': 'Libre',
    'yen': '{amount} yen',
    'people': '{count} katao',
    'details': 'Nasa itaas, sa wikang Hapon, ang mga detalye. Kung may tanong po kayo, makipag-ugnayan lamang sa amin.',
}
