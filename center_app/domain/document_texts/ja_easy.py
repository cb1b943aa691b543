"""やさしい日本語 (plain Japanese) wording of the booking slip.

Style: 出入国在留管理庁・文化庁「在留支援のためのやさしい日本語ガイドライン」 — short sentences, one
thing per sentence, words a reader of beginner Japanese knows (「使用料」 → 「つかう おかね」), spaces
between phrases (分かち書き), kanji kept with ルビ. ``{漢字|かんじ}`` marks a kanji with its reading
(drawn as ルビ, :func:`center_app.print.ruby.markup_segments`); ``{name}`` is a value filled in when
printed. The keys are those of the Japanese slip (:data:`center_app.domain.document_texts.ja.SLIP`).
"""

NAME = "やさしい日本語"

SLIP = {
    'title': '{部屋|へや}の {予約|よやく}',
    'title_provisional': '{部屋|へや}の {予約|よやく}（まだ {決|き}まって いません）',
    'slip_no': '{予約|よやく}の {番号|ばんごう}',
    'issued': 'この {紙|かみ}を {渡|わた}した {日|ひ}',
    'applicant': '{名前|なまえ}',
    'registration_no': '{登録|とうろく}の {番号|ばんごう}',
    'applicant_class': '{区分|くぶん}',
    'facility': '{建物|たてもの}',
    'room': '{部屋|へや}',
    'date': '{使|つか}う {日|ひ}',
    'time': '{使|つか}う {時間|じかん}',
    'people': '{来|く}る {人|ひと}',
    'people_value': '{count}{人|にん}',
    'purpose': '{何|なに}を しますか',
    'fee_heading': 'お{金|かね}',
    'gross': '{使|つか}う お{金|かね}',
    'exemption': 'お{金|かね}が {安|やす}く なる {理由|りゆう}',
    'exemption_value': '{name}（{rate}%）',
    'waived': '{安|やす}く なる お{金|かね}',
    'fee': '{払|はら}う お{金|かね}',
    'yen': '{amount}{円|えん}',
    'none': 'ありません',
    'money': '{払|はら}いましたか',
    'money_paid': 'はい。{払|はら}いました（{領収書|りょうしゅうしょ}の {番号|ばんごう} {receipts}）',
    'money_due': 'まだです。{amount}を {date}までに {払|はら}って ください',
    'money_partly': '{少|すこ}し {払|はら}いました。あと {amount}です。{date}までに {払|はら}って ください',
    'money_exempt': 'お{金|かね}は いりません',
    'money_legacy': '{記録|きろく}が ありません',
    'statement': '{予約|よやく}が できました。',
    'statement_paid': '{予約|よやく}が できました。お{金|かね}は もう {払|はら}いました。',
    'statement_due': '{予約|よやく}が できました。お{金|かね}は {窓口|まどぐち}で {払|はら}って ください。'
                     '{払|はら}う {日|ひ}は 「{払|はら}いましたか」に {書|か}いて あります。'
                     'お{金|かね}を {払|はら}った とき、{領収書|りょうしゅうしょ}を {渡|わた}します。',
    'statement_exempt': '{予約|よやく}が できました。お{金|かね}は いりません。',
    'statement_provisional': 'まだ {予約|よやく}は {決|き}まって いません。お{金|かね}を {払|はら}うと、{予約|よやく}が {決|き}まります。',
    'statement_cancelled': 'この {予約|よやく}は やめました（{reason}）。',
    'statement_no_show': 'この {予約|よやく}の {日|ひ}に、{来|き}ませんでした。',
    'rules_heading': '{使|つか}う ときの きまり',
    'clerk': '{受付|うけつけ}',
    'tel': '{電話|でんわ}',
}
