//! The word lists the demo company is made of: Turkish and English names with their proper
//! letters, cities with districts and postal codes, sectors, job titles, tags and notes.

/// A place companies and people are in, and which sales team covers it.
pub(super) struct Place {
    pub city: &'static str,
    pub district: &'static str,
    pub postal_code: &'static str,
    /// The landline area code (without the trunk 0).
    pub area_code: &'static str,
    /// 0 = the İstanbul team, 1 = the Ankara team.
    pub team: usize,
}

const fn place(
    city: &'static str,
    district: &'static str,
    postal_code: &'static str,
    area_code: &'static str,
    team: usize,
) -> Place {
    Place {
        city,
        district,
        postal_code,
        area_code,
        team,
    }
}

/// İstanbul is listed most often: most customers are there.
pub(super) const PLACES: &[Place] = &[
    place("İstanbul", "Kadıköy", "34710", "216", 0),
    place("İstanbul", "Beşiktaş", "34353", "212", 0),
    place("İstanbul", "Şişli", "34381", "212", 0),
    place("İstanbul", "Üsküdar", "34664", "216", 0),
    place("İstanbul", "Ataşehir", "34750", "216", 0),
    place("İstanbul", "Bakırköy", "34142", "212", 0),
    place("İstanbul", "Sarıyer", "34450", "212", 0),
    place("Bursa", "Nilüfer", "16140", "224", 0),
    place("Bursa", "Osmangazi", "16050", "224", 0),
    place("Kocaeli", "İzmit", "41100", "262", 0),
    place("İzmir", "Konak", "35250", "232", 0),
    place("İzmir", "Karşıyaka", "35530", "232", 0),
    place("İzmir", "Bornova", "35040", "232", 0),
    place("Tekirdağ", "Çorlu", "59850", "282", 0),
    place("Ankara", "Çankaya", "06680", "312", 1),
    place("Ankara", "Yenimahalle", "06170", "312", 1),
    place("Ankara", "Keçiören", "06280", "312", 1),
    place("Ankara", "Etimesgut", "06790", "312", 1),
    place("Eskişehir", "Tepebaşı", "26010", "222", 1),
    place("Konya", "Selçuklu", "42060", "332", 1),
    place("Kayseri", "Melikgazi", "38030", "352", 1),
    place("Antalya", "Muratpaşa", "07100", "242", 1),
    place("Adana", "Seyhan", "01010", "322", 1),
    place("Gaziantep", "Şahinbey", "27010", "342", 1),
    place("Trabzon", "Ortahisar", "61030", "462", 1),
    place("Samsun", "İlkadım", "55030", "362", 1),
];

pub(super) const STREETS: &[&str] = &[
    "Bağdat Caddesi",
    "Atatürk Bulvarı",
    "Cumhuriyet Caddesi",
    "İnönü Sokak",
    "Gazi Mustafa Kemal Bulvarı",
    "Kıbrıs Şehitleri Caddesi",
    "Büyükdere Caddesi",
    "Şehit Ömer Halisdemir Caddesi",
    "Fevzi Çakmak Sokak",
    "Çamlıca Sokak",
    "Ihlamur Yolu",
    "Gül Sokak",
    "Öğretmenler Caddesi",
    "İstiklal Caddesi",
];

/// The first word of Turkish company names (family names and places, as is the custom).
pub(super) const COMPANY_STEMS: &[&str] = &[
    "Çağlar",
    "Işık",
    "Yıldız",
    "Öztürk",
    "Güneş",
    "Ege",
    "Anadolu",
    "Marmara",
    "Boğaziçi",
    "Doğan",
    "Şahin",
    "Deniz",
    "Kuzey",
    "Toros",
    "Çınar",
    "Akdeniz",
    "Karadeniz",
    "Başkent",
    "Gökçe",
    "Uğur",
    "Özgür",
    "Ilgaz",
    "İnci",
    "Ölmez",
    "Ünal",
    "Erciyes",
    "Kardelen",
    "Türkoğlu",
    "Aras",
    "Fırat",
];

/// Sectors: the word in the company name and the industry shown on the record.
pub(super) const SECTORS: &[(&str, &str)] = &[
    ("Tekstil", "Tekstil"),
    ("Yazılım", "Bilişim"),
    ("Lojistik", "Lojistik"),
    ("Gıda", "Gıda"),
    ("İnşaat", "İnşaat"),
    ("Otomotiv", "Otomotiv"),
    ("Mobilya", "Mobilya"),
    ("Enerji", "Enerji"),
    ("Danışmanlık", "Danışmanlık"),
    ("Turizm", "Turizm"),
    ("Kimya", "Kimya"),
    ("Plastik", "Plastik ve Kauçuk"),
    ("Medikal", "Sağlık"),
    ("Tarım", "Tarım"),
    ("Makine", "Makine"),
    ("Elektronik", "Elektronik"),
    ("Ambalaj", "Ambalaj"),
    ("Reklam", "Medya ve Reklam"),
];

pub(super) const LEGAL_FORMS: &[&str] =
    &["A.Ş.", "Ltd. Şti.", "San. ve Tic. A.Ş.", "Tic. Ltd. Şti."];

/// A few English-named customers (foreign subsidiaries and partners).
pub(super) const ENGLISH_COMPANIES: &[(&str, &str)] = &[
    ("Northwind Trading Ltd.", "Wholesale"),
    ("Blue Harbor Software", "Software"),
    ("Silverline Logistics", "Logistics"),
    ("Greenfield Foods", "Food"),
    ("Brightstone Consulting", "Consulting"),
    ("Oakridge Medical", "Healthcare"),
    ("Redwood Energy", "Energy"),
    ("Summit Packaging", "Packaging"),
];

pub(super) const COMPANY_TAGS: &[&str] = &[
    "ihracatçı",
    "KOBİ",
    "stratejik",
    "bayi",
    "tedarikçi",
    "yeni müşteri",
    "VIP",
    "distribütör",
    "kamu",
    "e-ticaret",
];

pub(super) const FEMALE_NAMES: &[&str] = &[
    "Ayşe", "Fatma", "Zeynep", "Elif", "Şule", "Gülşen", "Öykü", "Büşra", "Çiğdem", "Derya",
    "Ebru", "Gizem", "Hülya", "İpek", "Merve", "Nur", "Özlem", "Pınar", "Seda", "Tuğba", "Ümran",
    "Yeşim", "Sevgi", "Aslı", "Işıl", "Gökçe", "Dilek", "Nesrin", "İlknur", "Şebnem",
];

pub(super) const MALE_NAMES: &[&str] = &[
    "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Ömer", "Osman",
    "Murat", "Emre", "Burak", "Çağlar", "İlker", "Ümit", "Özgür", "Uğur", "Barış", "Cem", "Doğan",
    "Erkan", "Gökhan", "Hakan", "Kerem", "Oğuz", "Serkan", "Tolga", "Yiğit", "Işık",
];

pub(super) const LAST_NAMES: &[&str] = &[
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Kara",
    "Koç",
    "Kurt",
    "Özkan",
    "Şimşek",
    "Polat",
    "Özer",
    "Güneş",
    "Erdoğan",
    "Aksoy",
    "Çağlar",
    "Işık",
    "Gül",
    "Ünal",
    "Tekin",
    "Acar",
    "Karaca",
    "Türkmen",
    "İnce",
    "Uçar",
    "Bulut",
    "Keskin",
    "Ekinci",
    "Gündoğdu",
    "Sarı",
    "Tunç",
    "Çakır",
    "Kahraman",
    "Uysal",
    "Altıntaş",
    "Akgül",
    "Başaran",
    "Ölmez",
    "Ergün",
    "İpek",
];

pub(super) const ENGLISH_FIRST_NAMES: &[&str] = &[
    "James",
    "Emily",
    "Oliver",
    "Sophie",
    "Daniel",
    "Charlotte",
    "Michael",
    "Hannah",
    "Thomas",
    "Laura",
    "David",
    "Rachel",
    "George",
    "Amelia",
];

pub(super) const ENGLISH_LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Clarke", "Walker",
    "Wright", "Hughes", "Turner", "Harris", "Cooper",
];

pub(super) const JOB_TITLES: &[&str] = &[
    "Genel Müdür",
    "Satın Alma Müdürü",
    "Satın Alma Uzmanı",
    "Finans Direktörü",
    "Muhasebe Uzmanı",
    "Bilgi İşlem Sorumlusu",
    "Pazarlama Müdürü",
    "İnsan Kaynakları Uzmanı",
    "Operasyon Şefi",
    "Kurucu Ortak",
    "Üretim Planlama Mühendisi",
    "Lojistik Koordinatörü",
];

pub(super) const ENGLISH_JOB_TITLES: &[&str] = &[
    "Purchasing Manager",
    "Chief Technology Officer",
    "Head of Operations",
    "Finance Director",
    "Country Manager",
];

pub(super) const PERSON_TAGS: &[&str] = &[
    "karar verici",
    "teknik",
    "finans",
    "fuar 2025",
    "bülten",
    "VIP",
    "webinar",
    "referans",
];

pub(super) const NOTES: &[&str] = &[
    "Fuarda tanıştık, katalog gönderilecek.",
    "Yıllık sözleşme yenileme görüşmesi Mart ayında.",
    "Öğle saatlerinde aranmayı tercih ediyor.",
    "Teklif için bütçe onayı bekleniyor.",
    "Prefers e-mail over phone calls.",
    "Met at the Istanbul trade fair; interested in the premium plan.",
    "Ödeme vadesi 60 gün olarak konuşuldu.",
];

pub(super) const MAIL_PROVIDERS: &[&str] =
    &["gmail.com", "outlook.com", "hotmail.com", "yandex.com.tr"];

/// Turkish mobile operators' prefixes (after the trunk 0).
pub(super) const MOBILE_PREFIXES: &[&str] = &[
    "530", "532", "533", "535", "536", "537", "538", "539", "541", "542", "543", "544", "545",
    "546", "505", "506", "507", "551", "552", "553", "554", "555", "559",
];
