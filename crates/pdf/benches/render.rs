//! How long a quote PDF takes to make: 10 lines (one page) and 200 lines (several pages with
//! the table header repeated). `cargo bench -p rehber-pdf`; results in docs/benchmarks.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rehber_pdf::{Columns, Letterhead, QuotePdf, TableLine, render_quote};

fn main() {
    divan::main();
}

fn quote(lines: usize) -> QuotePdf {
    QuotePdf {
        title: "TEKLİF".into(),
        letterhead: Letterhead {
            name: "Örnek Makina Sanayi ve Ticaret A.Ş.".into(),
            lines: vec![
                "Organize Sanayi Bölgesi 3. Cadde No:12, Selçuklu / Konya".into(),
                "Selçuklu V.D. · VKN 1234567890".into(),
            ],
        },
        details: vec![
            ("Teklif no".into(), "TKF-2026-000123 / R2".into()),
            ("Tarih".into(), "05.12.2026".into()),
            ("Geçerlilik".into(), "20.12.2026".into()),
        ],
        customer_heading: "Sayın".into(),
        customer: vec!["Işıl Çağlayan Şükrü Öğüt, İğdır".into()],
        columns: Columns {
            number: "#".into(),
            description: "Açıklama".into(),
            quantity: "Miktar".into(),
            unit_price: "Birim fiyat".into(),
            discount: "İsk.".into(),
            vat_rate: "KDV".into(),
            net: "Tutar".into(),
        },
        lines: (0..lines)
            .map(|i| TableLine {
                description: format!(
                    "Endüstriyel fırın yedek parçası, kalem {i} (ısıtıcı rezistans)"
                ),
                quantity: "2,5 Adet".into(),
                unit_price: "1.234,56".into(),
                discount: "%10".into(),
                vat_rate: "%20".into(),
                net: "2.777,76".into(),
            })
            .collect(),
        totals: vec![
            ("Ara toplam".into(), "555.552,00 TRY".into()),
            ("KDV %20".into(), "111.110,40 TRY".into()),
        ],
        grand_total: ("Genel toplam".into(), "666.662,40 TRY".into()),
        in_words: "Yalnız altı yüz altmış altı bin altı yüz altmış iki Türk lirası kırk kuruş"
            .into(),
        sections: vec![
            (
                "Koşullar".into(),
                "Fiyatlara KDV dahil değildir. Teslim: sipariş onayından sonra 15 iş günü.".into(),
            ),
            (
                "Banka hesabı (IBAN)".into(),
                "TR12 0006 4000 0011 2345 6789 01".into(),
            ),
        ],
        page_label: "Sayfa {page} / {pages}".into(),
    }
}

#[divan::bench(args = [10, 200])]
fn render(bencher: divan::Bencher, lines: usize) {
    let doc = quote(lines);
    bencher.bench(|| render_quote(divan::black_box(&doc)).unwrap());
}
