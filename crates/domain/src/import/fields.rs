//! The fields a column of an import can fill, each with the header names it answers to in
//! Turkish and English (the export's own headers among them).

/// A field a column can fill: its code, whether several columns may fill it (each adds
/// values: "E-posta", "E-posta 2"), and the header names it answers to.
#[derive(Clone, Copy)]
pub(super) struct FieldSpec {
    pub(super) code: &'static str,
    pub(super) many: bool,
    pub(super) names: &'static [&'static str],
}

const fn one(code: &'static str, names: &'static [&'static str]) -> FieldSpec {
    FieldSpec {
        code,
        many: false,
        names,
    }
}

const fn many(code: &'static str, names: &'static [&'static str]) -> FieldSpec {
    FieldSpec {
        code,
        many: true,
        names,
    }
}

const EMAILS: FieldSpec = many(
    "emails",
    &[
        "E-posta",
        "Eposta",
        "E-posta adresi",
        "E-posta adresleri",
        "Mail",
        "Mail adresi",
        "E-mail",
        "Email",
        "Email address",
        "E-mail address",
        "E-mail addresses",
    ],
);
const PHONES: FieldSpec = many(
    "phones",
    &[
        "Telefon",
        "Tel",
        "Tel no",
        "Telefon no",
        "Telefon numarası",
        "Telefon numaraları",
        "GSM",
        "Cep",
        "Cep telefonu",
        "Cep tel",
        "Mobil",
        "İş telefonu",
        "Phone",
        "Phone number",
        "Phone numbers",
        "Mobile",
        "Mobile phone",
        "Work phone",
    ],
);
const ADDRESS: [FieldSpec; 5] = [
    one(
        "street",
        &[
            "Adres",
            "Açık adres",
            "Sokak",
            "Cadde",
            "Street",
            "Street address",
            "Address",
        ],
    ),
    one("district", &["İlçe", "Semt", "District"]),
    one("city", &["İl", "Şehir", "City", "Province"]),
    one(
        "postal_code",
        &[
            "Posta kodu",
            "PK",
            "Postal code",
            "Zip",
            "Zip code",
            "Postcode",
        ],
    ),
    one("country", &["Ülke", "Country"]),
];
const TAIL: [FieldSpec; 7] = [
    many(
        "tags",
        &["Etiket", "Etiketler", "Tag", "Tags", "Label", "Labels"],
    ),
    one(
        "lifecycle_stage",
        &[
            "Yaşam döngüsü aşaması",
            "Yaşam döngüsü",
            "Aşama",
            "Lifecycle stage",
            "Lifecycle",
            "Stage",
        ],
    ),
    one(
        "lead_status",
        &["Aday durumu", "Lead status", "Durum", "Status"],
    ),
    one(
        "lead_source",
        &["Aday kaynağı", "Kaynak", "Lead source", "Source"],
    ),
    one(
        "unqualified_reason",
        &[
            "Niteliksiz olma nedeni",
            "Why unqualified",
            "Unqualified reason",
        ],
    ),
    one(
        "notes",
        &[
            "Not",
            "Notlar",
            "Açıklama",
            "Note",
            "Notes",
            "Comments",
            "Description",
        ],
    ),
    one(
        "owner",
        &[
            "Sorumlu",
            "Sahibi",
            "Temsilci",
            "Owner",
            "Sales rep",
            "Assigned to",
        ],
    ),
];

pub(super) const PEOPLE: &[FieldSpec] = &[
    one(
        "first_name",
        &["Ad", "Adı", "İsim", "First name", "Firstname", "Given name"],
    ),
    one(
        "last_name",
        &[
            "Soyad",
            "Soyadı",
            "Soyisim",
            "Last name",
            "Lastname",
            "Surname",
            "Family name",
        ],
    ),
    one(
        "full_name",
        &[
            "Ad Soyad",
            "Adı Soyadı",
            "Ad soyadı",
            "İsim Soyisim",
            "Kişi",
            "Full name",
            "Name",
            "Contact",
            "Contact name",
        ],
    ),
    EMAILS,
    PHONES,
    one(
        "company",
        &[
            "Firma",
            "Firma adı",
            "Şirket",
            "Şirket adı",
            "Kurum",
            "Company",
            "Company name",
            "Organization",
            "Organisation",
        ],
    ),
    one(
        "job_title",
        &[
            "Unvan",
            "Ünvan",
            "Görev",
            "Pozisyon",
            "Job title",
            "Title",
            "Position",
        ],
    ),
    ADDRESS[0],
    ADDRESS[1],
    ADDRESS[2],
    ADDRESS[3],
    ADDRESS[4],
    one(
        "birthday",
        &[
            "Doğum tarihi",
            "Doğum günü",
            "Birthday",
            "Date of birth",
            "Birth date",
            "DOB",
        ],
    ),
    one(
        "national_id",
        &[
            "TC Kimlik",
            "TC Kimlik No",
            "TC No",
            "TCKN",
            "TC kimlik numarası",
            "T.C. kimlik numarası (TCKN)",
            "National ID",
            "National ID (TCKN)",
        ],
    ),
    TAIL[0],
    TAIL[1],
    TAIL[2],
    TAIL[3],
    TAIL[4],
    TAIL[5],
    TAIL[6],
];

pub(super) const COMPANIES: &[FieldSpec] = &[
    one(
        "name",
        &[
            "Ad",
            "Adı",
            "Firma",
            "Firma adı",
            "Şirket",
            "Şirket adı",
            "Ticari unvan",
            "Unvan",
            "Name",
            "Company",
            "Company name",
            "Organization",
            "Organisation",
        ],
    ),
    EMAILS,
    PHONES,
    one(
        "website",
        &["Web", "Web sitesi", "Web adresi", "Website", "Site", "URL"],
    ),
    one("industry", &["Sektör", "Industry", "Sector"]),
    one("tax_office", &["Vergi dairesi", "VD", "Tax office"]),
    one(
        "tax_number",
        &[
            "Vergi no",
            "Vergi numarası",
            "VKN",
            "Vergi kimlik no",
            "Vergi kimlik numarası",
            "Vergi kimlik numarası (VKN)",
            "Tax number",
            "Tax number (VKN)",
            "Tax ID",
        ],
    ),
    one(
        "national_id",
        &[
            "TC Kimlik",
            "TC Kimlik No",
            "TCKN",
            "T.C. kimlik numarası (TCKN)",
            "National ID",
            "National ID (TCKN)",
        ],
    ),
    one(
        "trade_registry_number",
        &[
            "Ticaret sicil no",
            "Ticaret sicil numarası",
            "Sicil no",
            "Trade registry number",
        ],
    ),
    one(
        "e_invoice",
        &[
            "e-Fatura",
            "e-Fatura mükellefi",
            "E-invoice",
            "e-Invoice taxpayer",
        ],
    ),
    ADDRESS[0],
    ADDRESS[1],
    ADDRESS[2],
    ADDRESS[3],
    ADDRESS[4],
    TAIL[0],
    TAIL[1],
    TAIL[2],
    TAIL[3],
    TAIL[4],
    TAIL[5],
    TAIL[6],
];
