"""Document wording in Latin-American Spanish (Español, as written in Peru): formal ``usted``."""

NAME = 'Español'
BABEL_LOCALE = 'es_PE'

#: The booking slip (予約票).
SLIP = {
    'title': 'Comprobante de Reserva de Sala',
    'title_provisional': 'Comprobante de Reserva de Sala (provisional)',
    'subtitle': 'Comprobante de reserva',
    'slip_no': 'N.º de reserva',
    'issued': 'Fecha de emisión',
    'applicant': 'Solicitante',
    'registration_no': 'N.º de registro',
    'applicant_class': 'Categoría',
    'facility': 'Local',
    'room': 'Sala',
    'date': 'Fecha de uso',
    'time': 'Horario',
    'people': 'N.º previsto de personas',
    'people_value': '{count}',
    'purpose': 'Finalidad',
    'fee_heading': 'Importes',
    'gross': 'Tarifa de uso',
    'exemption': 'Reducción de tarifa',
    'exemption_value': '{name} ({rate} %)',
    'waived': 'Monto exonerado',
    'fee': 'Monto a pagar',
    'none': 'Ninguna',
    'money': 'Pago',
    'money_paid': 'Pagado (recibo {receipts})',
    'money_due': 'Pendiente de pago: {amount} (fecha límite: {date})',
    'money_partly': 'Pago parcial; saldo pendiente: {amount} (fecha límite: {date})',
    'money_exempt': 'Tarifa exonerada en su totalidad',
    'money_legacy': 'Sin registro (reserva anterior al registro de pagos)',
    'statement': 'Hemos recibido su reserva según lo indicado arriba.',
    'statement_paid': 'Hemos recibido su reserva según lo indicado arriba. La tarifa ya ha sido pagada.',
    'statement_due': 'Hemos recibido su reserva según lo indicado arriba. Sírvase pagar la tarifa en la ventanilla hasta la fecha límite; el recibo se le entregará al momento del pago.',
    'statement_exempt': 'Hemos recibido su reserva según lo indicado arriba. La tarifa ha sido exonerada en su totalidad.',
    'statement_provisional': 'Esta es una reserva provisional. Quedará confirmada con el pago de la tarifa y servirá como autorización de uso.',
    'statement_cancelled': 'Esta reserva ha sido cancelada ({reason}).',
    'statement_no_show': 'Esta reserva se registró como inasistencia sin aviso.',
    'rules_heading': 'Condiciones de uso',
    'clerk': 'Atendido por',
    'tel': 'Tel.',
}

#: The use permit (使用許可書), the receipt (領収書) and both in one.
PERMIT = {
    'permit': 'Autorización de Uso de Instalaciones',
    'receipt': 'Recibo',
    'both': 'Autorización de Uso de Instalaciones y Recibo',
    'permit_no': 'N.º de autorización',
    'receipt_no': 'N.º de recibo',
    'issued': 'Fecha de emisión',
    'received': 'Fecha de pago',
    'reissue': 'DUPLICADO',
    'voided': 'ANULADO (este recibo no es válido)',
    'honorific': '{name}',
    'registration_no': 'N.º de registro',
    'address': 'Dirección',
    'representative': 'Representante',
    'applicant_class': 'Categoría',
    'grant': 'Se autoriza el uso de las instalaciones que se indican a continuación.',
    'col_date': 'Fecha y hora',
    'col_room': 'Local / sala',
    'col_people': 'Personas',
    'col_purpose': 'Finalidad',
    'col_fee': 'Tarifa',
    'people_value': '{count}',
    'gross': 'Tarifa antes de la reducción',
    'exemption': 'Reducción de tarifa',
    'exemption_value': '{name} ({rate} %)',
    'waived': 'Monto exonerado',
    'fee': 'Tarifa',
    'paid': 'Monto pagado',
    'status': 'Pago',
    'status_paid': 'Pagado',
    'status_due': 'Pendiente: {amount}; fecha límite: {date}',
    'status_due_no_date': 'Pendiente: {amount}',
    'exempt': 'Tarifa exonerada en su totalidad (減免により使用料は免除)',
    'conditions': 'Condiciones de uso',
    'amount': '{amount}',
    'proviso': 'Por concepto de: {text}',
    'receipt_statement': 'Declaramos haber recibido el importe arriba indicado.',
    'both_statement': 'Se autoriza el uso de las instalaciones arriba indicadas y se declara haber recibido la tarifa.',
    'method': 'Forma de pago',
    'paid_for': 'Reservas pagadas',
    'seal_omitted': 'Sello oficial omitido (公印省略)',
    'clerk': 'Atendido por',
    'tel': 'Tel.',
    'yen': '{amount}',
}

#: Payment methods (codes of ``domain.money.PaymentMethod``).
METHODS = {
    'cash': 'Efectivo',
    'transfer': 'Transferencia bancaria',
    'invoice': 'Orden de pago',
    'cashless': 'Pago electrónico',
}

#: Applicant classes of the default configuration (resources/seed/default_center.json).
APPLICANT_CLASSES = {
    'registered': 'Grupo registrado',
    'resident': 'Residente de la ciudad',
    'non_resident': 'No residente en la ciudad',
}

#: A flyer's block in this language under the Japanese text.
FLYER = {
    'heading': 'Español',
    'when': 'Fecha',
    'where': 'Lugar',
    'fee': 'Costo',
    'capacity': 'Vacantes',
    'apply': 'Inscripción',
    'contact': 'Informes',
    'free': 'Gratuito',
    'yen': '{amount} yenes',
    'people': '{count} personas',
    'details': 'Los detalles figuran en japonés arriba. Si tiene alguna consulta, comuníquese con nosotros.',
}
