"""Word lists for the synthetic data of `manage.py generate_visits` (see sampledata.generator).

Names come in pairs (Latin script, native script); the native one is empty where the script is Latin.
Every time zone here has a whole- or half-hour offset all year, so that 30-minute slots starting on
the hour or half hour in any of them fall on one common grid of instants (see the generator).
"""

# code: (script, ((city, time zone), ...), ((region in English, in French), ...))
COUNTRIES = {
    "RU": ("ru", (("Irkutsk", "Asia/Irkutsk"), ("Moscow", "Europe/Moscow"), ("Kazan", "Europe/Moscow"),
                  ("Novosibirsk", "Asia/Novosibirsk"), ("Yekaterinburg", "Asia/Yekaterinburg")),
           (("Irkutsk region", "région d'Irkoutsk"), ("Tatarstan", "Tatarstan"),
            ("Novosibirsk region", "région de Novossibirsk"))),
    "CN": ("zh", (("Shanghai", "Asia/Shanghai"), ("Beijing", "Asia/Shanghai"), ("Shenzhen", "Asia/Shanghai"),
                  ("Chengdu", "Asia/Shanghai")),
           (("Guangdong province", "province du Guangdong"), ("Sichuan province", "province du Sichuan"))),
    "GR": ("el", (("Athens", "Europe/Athens"), ("Thessaloniki", "Europe/Athens")),
           (("Attica", "Attique"), ("Central Macedonia", "Macédoine-Centrale"))),
    "AE": ("ar", (("Dubai", "Asia/Dubai"), ("Abu Dhabi", "Asia/Dubai")),
           (("Emirate of Dubai", "émirat de Dubaï"), ("Emirate of Abu Dhabi", "émirat d'Abou Dabi"))),
    "EG": ("ar", (("Cairo", "Africa/Cairo"), ("Alexandria", "Africa/Cairo")),
           (("Cairo governorate", "gouvernorat du Caire"),)),
    "JP": ("ja", (("Tokyo", "Asia/Tokyo"), ("Osaka", "Asia/Tokyo")),
           (("Kansai", "Kansai"), ("Hokkaido", "Hokkaidō"))),
    "KR": ("ko", (("Seoul", "Asia/Seoul"), ("Busan", "Asia/Seoul")),
           (("Gyeonggi province", "province de Gyeonggi"),)),
    "FR": ("latin", (("Paris", "Europe/Paris"), ("Lyon", "Europe/Paris"), ("Marseille", "Europe/Paris"),
                     ("Toulouse", "Europe/Paris"), ("Strasbourg", "Europe/Paris")),
           (("Auvergne-Rhône-Alpes", "Auvergne-Rhône-Alpes"), ("Occitania", "Occitanie"))),
    "DE": ("latin", (("Berlin", "Europe/Berlin"), ("Munich", "Europe/Berlin"), ("Hamburg", "Europe/Berlin"),
                     ("Düsseldorf", "Europe/Berlin")),
           (("Bavaria", "Bavière"), ("North Rhine-Westphalia", "Rhénanie-du-Nord-Westphalie"))),
    "IT": ("latin", (("Milan", "Europe/Rome"), ("Rome", "Europe/Rome"), ("Turin", "Europe/Rome")),
           (("Lombardy", "Lombardie"), ("Piedmont", "Piémont"))),
    "ES": ("latin", (("Madrid", "Europe/Madrid"), ("Barcelona", "Europe/Madrid"), ("Valencia", "Europe/Madrid")),
           (("Catalonia", "Catalogne"), ("Valencian Community", "Communauté valencienne"))),
    "GB": ("latin", (("London", "Europe/London"), ("Manchester", "Europe/London"), ("Edinburgh", "Europe/London")),
           (("Scotland", "Écosse"), ("Greater Manchester", "Grand Manchester"))),
    "US": ("latin", (("New York", "America/New_York"), ("Chicago", "America/Chicago"),
                     ("San Francisco", "America/Los_Angeles"), ("Houston", "America/Chicago")),
           (("State of Texas", "État du Texas"), ("State of Illinois", "État de l'Illinois"))),
    "BR": ("latin", (("São Paulo", "America/Sao_Paulo"), ("Rio de Janeiro", "America/Sao_Paulo")),
           (("State of São Paulo", "État de São Paulo"),)),
    "IN": ("latin", (("Mumbai", "Asia/Kolkata"), ("Bengaluru", "Asia/Kolkata"), ("New Delhi", "Asia/Kolkata")),
           (("Karnataka", "Karnataka"), ("Maharashtra", "Maharashtra"))),
    "TR": ("latin", (("Istanbul", "Europe/Istanbul"), ("Ankara", "Europe/Istanbul"), ("İzmir", "Europe/Istanbul")),
           (("Marmara region", "région de Marmara"),)),
    "KZ": ("ru", (("Almaty", "Asia/Almaty"), ("Astana", "Asia/Almaty")),
           (("Almaty region", "région d'Almaty"),)),
    "CA": ("latin", (("Montréal", "America/Toronto"), ("Toronto", "America/Toronto"),
                     ("Vancouver", "America/Vancouver")),
           (("Québec", "Québec"), ("Ontario", "Ontario"))),
    "AU": ("latin", (("Sydney", "Australia/Sydney"), ("Adelaide", "Australia/Adelaide")),
           (("New South Wales", "Nouvelle-Galles du Sud"),)),
    "SG": ("latin", (("Singapore", "Asia/Singapore"),), (("Singapore", "Singapour"),)),
}  # fmt: skip

# slug: (English, French)
SECTORS = {
    "wood-processing": ("Wood processing", "Transformation du bois"),
    "tourism": ("Tourism", "Tourisme"),
    "education": ("Education", "Éducation"),
    "health": ("Health", "Santé"),
    "environment-water": ("Environment and water", "Environnement et eau"),
    "energy": ("Energy", "Énergie"),
    "nanotechnology": ("Nanotechnology", "Nanotechnologies"),
    "biotech": ("Biotech", "Biotechnologies"),
    "agriculture": ("Agriculture and food", "Agriculture et alimentation"),
    "transport": ("Transport and logistics", "Transport et logistique"),
    "mining": ("Mining", "Mines"),
    "digital": ("Digital and software", "Numérique et logiciels"),
    "aerospace": ("Aerospace", "Aéronautique et spatial"),
    "finance": ("Finance", "Finance"),
    "construction": ("Construction", "Construction"),
    "chemicals": ("Chemicals", "Chimie"),
}

# script: (given names, family names), each a (Latin, native) pair.
PEOPLE_NAMES = {
    "ru": (
        (("Sergey", "Сергей"), ("Anna", "Анна"), ("Dmitry", "Дмитрий"), ("Olga", "Ольга"), ("Igor", "Игорь"),
         ("Yekaterina", "Екатерина"), ("Andrey", "Андрей"), ("Natalya", "Наталья"), ("Mikhail", "Михаил")),
        (("Levchenko", "Левченко"), ("Ivanov", "Иванов"), ("Smirnova", "Смирнова"), ("Kuznetsov", "Кузнецов"),
         ("Popova", "Попова"), ("Sokolov", "Соколов"), ("Volkova", "Волкова"), ("Bitarov", "Битаров")),
    ),
    "zh": (
        (("Wei", "伟"), ("Fang", "芳"), ("Min", "敏"), ("Jing", "静"), ("Lei", "磊"), ("Yang", "洋"), ("Jun", "军")),
        (("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"), ("Zhao", "赵"), ("Huang", "黄")),
    ),
    "el": (
        (("Nikos", "Νίκος"), ("Maria", "Μαρία"), ("Giorgos", "Γιώργος"), ("Eleni", "Ελένη"), ("Kostas", "Κώστας")),
        (("Papadopoulos", "Παπαδόπουλος"), ("Georgiou", "Γεωργίου"), ("Nikolaou", "Νικολάου"),
         ("Oikonomou", "Οικονόμου")),
    ),
    "ar": (
        (("Ahmed", "أحمد"), ("Fatima", "فاطمة"), ("Omar", "عمر"), ("Layla", "ليلى"), ("Khalid", "خالد"),
         ("Mariam", "مريم")),
        (("Al-Mansouri", "المنصوري"), ("Haddad", "حداد"), ("Al-Hashimi", "الهاشمي"), ("Nasser", "ناصر"),
         ("Saleh", "صالح")),
    ),
    "ja": (
        (("Yuki", "由紀"), ("Haruto", "陽翔"), ("Aoi", "葵"), ("Ren", "蓮"), ("Sakura", "さくら")),
        (("Sato", "佐藤"), ("Suzuki", "鈴木"), ("Takahashi", "高橋"), ("Tanaka", "田中"), ("Watanabe", "渡辺")),
    ),
    "ko": (
        (("Min-jun", "민준"), ("Seo-yeon", "서연"), ("Ji-ho", "지호"), ("Ha-eun", "하은")),
        (("Kim", "김"), ("Lee", "이"), ("Park", "박"), ("Choi", "최"), ("Jung", "정")),
    ),
    "latin": (
        (("Jean", ""), ("Hélène", ""), ("François", ""), ("Zoë", ""), ("Jürgen", ""), ("Ana", ""), ("João", ""),
         ("Siobhán", ""), ("Ayşe", ""), ("Priya", ""), ("Michael", ""), ("Chloé", ""), ("Łukasz", "")),
        (("Dupont", ""), ("Müller", ""), ("García", ""), ("Rossi", ""), ("O'Brien", ""), ("Smith", ""),
         ("Léon-Bérard", ""), ("Yılmaz", ""), ("Sharma", ""), ("da Silva", ""), ("Nguyễn", ""), ("Kowalski", "")),
    ),
}  # fmt: skip

# script: (name stems, company kinds), each a (Latin, native) pair; the native company name is "stem kind".
ORGANIZATION_WORDS = {
    "ru": (
        (("Baikal", "Байкал"), ("Sibir", "Сибирь"), ("Angara", "Ангара"), ("Volga", "Волга"), ("Ural", "Урал"),
         ("Taiga", "Тайга"), ("Sever", "Север")),
        (("Energo", "Энерго"), ("Les", "Лес"), ("Med", "Мед"), ("Trans", "Транс"), ("Tech", "Тех"),
         ("Invest", "Инвест")),
    ),
    "zh": (
        (("Huaxia", "华夏"), ("Changjiang", "长江"), ("Dongfang", "东方"), ("Zhongxing", "中兴"), ("Tianhe", "天河")),
        (("Energy", "能源"), ("Pharmaceutical", "制药"), ("Logistics", "物流"), ("Technology", "科技"),
         ("Investment", "投资")),
    ),
    "el": (
        (("Olympos", "Όλυμπος"), ("Aigaio", "Αιγαίο"), ("Ermis", "Ερμής"), ("Athina", "Αθηνά")),
        (("Energeiaki", "Ενεργειακή"), ("Naftiliaki", "Ναυτιλιακή"), ("Technologiki", "Τεχνολογική")),
    ),
    "ar": (
        (("Al-Noor", "النور"), ("Al-Khaleej", "الخليج"), ("Al-Sahra", "الصحراء"), ("Al-Nil", "النيل")),
        (("Energy", "للطاقة"), ("Investment", "للاستثمار"), ("Logistics", "للخدمات اللوجستية")),
    ),
    "ja": (
        (("Fuji", "富士"), ("Sakura", "桜"), ("Asahi", "朝日"), ("Nippon", "日本")),
        (("Denki", "電気"), ("Shoji", "商事"), ("Seiyaku", "製薬")),
    ),
    "ko": (
        (("Hanbit", "한빛"), ("Daehan", "대한"), ("Saerom", "새롬")),
        (("Energy", "에너지"), ("Bio", "바이오"), ("Tech", "테크")),
    ),
    "latin": (
        (("Dalkia", ""), ("Eastmed", ""), ("Alpenwald", ""), ("Nordlicht", ""), ("Solaris", ""), ("Rhône", ""),
         ("Atlântico", ""), ("Boğaziçi", ""), ("Cascade", ""), ("Meridian", ""), ("Vértice", "")),
        (("Énergie", ""), ("Holzwerk", ""), ("Médical", ""), ("Logistics", ""), ("Systems", ""), ("Biotech", ""),
         ("Capital", ""), ("Ingénierie", "")),
    ),
}  # fmt: skip

COMPANY_SUFFIXES = ("SA", "GmbH", "Ltd", "LLC", "S.p.A.", "JSC", "Co., Ltd.", "SAS", "")

# kind: (English name pattern, native pattern key); {place} is a city or region, {n} a number.
PUBLIC_BODIES = (
    ("government", "Government of {place}"),
    ("ministry", "Ministry of Economic Development of {place}"),
    ("agency", "Investment Agency of {place}"),
    ("chamber", "Chamber of Commerce and Industry of {place}"),
    ("institute", "{place} State University"),
    ("hospital", "{place} Regional Hospital No. {n}"),
    ("embassy", "Trade Representation in {place}"),
    ("local_authority", "City of {place}"),
)

# How a body's name reads in its own script: "{place}" then the kind.
NATIVE_BODY_WORDS = {
    "ru": {"government": "Правительство", "ministry": "Министерство экономики", "agency": "Агентство инвестиций",
           "chamber": "Торгово-промышленная палата", "institute": "Государственный университет",
           "hospital": "Областная больница", "embassy": "Торговое представительство", "local_authority": "Мэрия"},
    "zh": {"government": "人民政府", "ministry": "经济发展厅", "agency": "投资促进局", "chamber": "商会",
           "institute": "大学", "hospital": "人民医院", "embassy": "商务代表处", "local_authority": "市政府"},
    "el": {"government": "Περιφέρεια", "ministry": "Υπουργείο Ανάπτυξης", "agency": "Οργανισμός Επενδύσεων",
           "chamber": "Εμπορικό Επιμελητήριο", "institute": "Πανεπιστήμιο", "hospital": "Νοσοκομείο",
           "embassy": "Εμπορική Αντιπροσωπεία", "local_authority": "Δήμος"},
    "ar": {"government": "حكومة", "ministry": "وزارة التنمية الاقتصادية", "agency": "هيئة الاستثمار",
           "chamber": "غرفة التجارة والصناعة", "institute": "جامعة", "hospital": "مستشفى",
           "embassy": "الممثلية التجارية", "local_authority": "بلدية"},
    "ja": {"government": "県庁", "ministry": "経済産業局", "agency": "投資促進機構", "chamber": "商工会議所",
           "institute": "大学", "hospital": "病院", "embassy": "通商代表部", "local_authority": "市役所"},
    "ko": {"government": "도청", "ministry": "경제개발부", "agency": "투자진흥원", "chamber": "상공회의소",
           "institute": "대학교", "hospital": "병원", "embassy": "무역대표부", "local_authority": "시청"},
}  # fmt: skip

# (English, French)
TITLES = (
    ("Governor", "Gouverneur"),
    ("Minister of Economic Development", "Ministre du Développement économique"),
    ("Deputy Minister", "Vice-ministre"),
    ("Director General", "Directeur général"),
    ("Chief Executive Officer", "Président-directeur général"),
    ("Head of International Affairs", "Responsable des affaires internationales"),
    ("Sales Director", "Directeur commercial"),
    ("Chief Physician", "Médecin-chef"),
    ("Rector", "Recteur"),
    ("Project Manager", "Chef de projet"),
    ("Chairman of the Board", "Président du conseil d'administration"),
    ("Export Manager", "Responsable export"),
)

# kind: ((English, French) titles); {place} and {org} are filled in.
ITEM_TITLES = {
    "official_meeting": (("Meeting with the {org}", "Rencontre avec {org}"),
                         ("Talks at the {org}", "Entretiens à {org}")),
    "conference": (("Investment conference in {place}", "Conférence sur l'investissement à {place}"),
                   ("Presentation of the region's potential", "Présentation du potentiel de la région")),
    "b2b_session": (("B2B meetings with companies of {place}", "Rencontres B2B avec les entreprises de {place}"),),
    "trade_fair": (("Visit to the trade fair in {place}", "Visite du salon de {place}"),),
    "site_visit": (("Site visit: {org}", "Visite de site : {org}"),),
    "reception": (("Reception at the {org}", "Réception à {org}"),),
    "signing": (("Signing ceremony", "Cérémonie de signature"),),
    "travel": (("Travel to {place}", "Voyage vers {place}"),),
}  # fmt: skip

VENUE_WORDS = ("Congress Centre", "Exhibition Hall", "Hotel", "Business Centre", "Chamber House", "Expo",
               "Palace of Conferences", "Tower", "Trade Centre")  # fmt: skip

STREETS = ("rue de Rivoli", "Main Street", "Leninsky Prospekt", "Nanjing Road", "Via Roma", "Gran Vía",
           "Friedrichstraße", "Avenida Paulista", "İstiklal Caddesi", "Odos Ermou")  # fmt: skip

# (English, French)
OUTCOMES = (
    ("Agreed to exchange technical documentation.", "Échange de documentation technique convenu."),
    ("Signed a letter of intent.", "Lettre d'intention signée."),
    ("A pilot project will be studied.", "Un projet pilote sera étudié."),
    ("No follow-up planned.", "Pas de suite prévue."),
    ("Invitation to visit the plant next spring.", "Invitation à visiter l'usine au printemps prochain."),
    ("Prices and delivery terms discussed, offer expected.", "Prix et délais discutés, offre attendue."),
)

AGREEMENT_TITLES = (
    ("Memorandum of understanding on {sector}", "Mémorandum d'entente sur {sector}"),
    ("Cooperation agreement in {sector}", "Accord de coopération dans le domaine {sector}"),
    ("Supply contract", "Contrat de fourniture"),
    ("Letter of intent on a joint venture", "Lettre d'intention sur une coentreprise"),
)

FOLLOW_UP_TITLES = (
    ("Investment project in {sector}", "Projet d'investissement : {sector}"),
    ("Return visit to {place}", "Visite retour à {place}"),
    ("Invitation to the {place} forum", "Invitation au forum de {place}"),
    ("Partnership in {sector}", "Partenariat : {sector}"),
)

NEXT_STEPS = (
    ("Send the feasibility study.", "Envoyer l'étude de faisabilité."),
    ("Set a date for the visit.", "Fixer une date pour la visite."),
    ("Draft the contract.", "Rédiger le contrat."),
)

# Text that must survive CSV, HTML and search unharmed: quotes, separators, line breaks, formulas, markup.
HOSTILE_NAMES = (
    'Smith, Jones & "Partners"',
    '=HYPERLINK("http://example.com","Click")',
    "<script>alert('x')</script> Trading",
    "+7 Consulting; Ltd",
    "@Risk -Analytics",
    'O\'Neil "Quoted", Inc.',
)
HOSTILE_TEXTS = (
    'They said "yes, in principle",\nthen asked for a second meeting.',
    "=1+2",
    "=cmd|' /C calc'!A0",
    '<script>alert("outcome")</script>',
    "-5% on tariffs; +10% volume\r\nto be confirmed",
    'Line one\nLine two, with a comma\n"and quotes"',
)

# Cities in their own script, for the names of public bodies in non-Latin scripts.
NATIVE_CITIES = {
    "Irkutsk": "Иркутск", "Moscow": "Москва", "Kazan": "Казань", "Novosibirsk": "Новосибирск",
    "Yekaterinburg": "Екатеринбург", "Almaty": "Алматы", "Astana": "Астана",
    "Shanghai": "上海", "Beijing": "北京", "Shenzhen": "深圳", "Chengdu": "成都",
    "Athens": "Αθήνα", "Thessaloniki": "Θεσσαλονίκη",
    "Dubai": "دبي", "Abu Dhabi": "أبو ظبي", "Cairo": "القاهرة", "Alexandria": "الإسكندرية",
    "Tokyo": "東京", "Osaka": "大阪", "Seoul": "서울", "Busan": "부산",
}  # fmt: skip
