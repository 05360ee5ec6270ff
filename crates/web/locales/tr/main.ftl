# Ortak iletiler: doğrulama hataları, sorun başlıkları, seçim listeleri, alan ve rol adları.
# Arayüzün kendi metinleri ui.ftl dosyasındadır.

invalid-required = Bu alan zorunludur.
invalid-too-long = Bu değer çok uzun.
invalid-email = Geçerli bir e-posta adresi girin, örneğin ad@ornek.com.tr.
invalid-phone = Geçerli bir telefon numarası girin, örneğin 0532 123 45 67 veya +44 20 7946 0958.
invalid-vkn-format = Vergi kimlik numarası (VKN) tam 10 haneden oluşur.
invalid-vkn-checksum = Bu vergi kimlik numarası (VKN) geçerli değil: kontrol hanesi tutmuyor.
invalid-tckn-format = T.C. kimlik numarası 11 hanedir ve 0 ile başlamaz.
invalid-tckn-checksum = Bu T.C. kimlik numarası geçerli değil: kontrol haneleri tutmuyor.
invalid-date = Tarihi YYYY-AA-GG biçiminde girin; gelecekte olamaz.
invalid-url = Bir web adresi girin, örneğin ornek.com.tr.
invalid-amount = Bir tutar girin, örneğin 1250000 veya 1.250.000,50.
invalid-unknown-value = Sunulan değerlerden birini seçin.
invalid-number = Bir sayı girin.
invalid-company = Görebildiğiniz bir firma seçin.
invalid-password-short = En az 10 karakter kullanın.
invalid-password-wrong = Mevcut parola doğru değil.
invalid-taken = Bu değer başka bir kayıtta zaten kullanılıyor.
invalid-json = İstek gövdesi bu uç nokta için geçerli bir JSON değil.

problem-validation = Bazı alanlar geçerli değil
problem-not-found = Bulunamadı
problem-stale = Kayıt başka biri tarafından değiştirildi
problem-stale-detail = Kaydı yeniden yükleyin, diğer değişikliği kontrol edin ve kendi değişikliğinizi yeniden uygulayın.
problem-taken = Zaten kullanılıyor
problem-forbidden = Bu işlem için yetkiniz yok
problem-unauthenticated = Oturum açmanız gerekiyor
problem-unauthenticated-detail = Geçerli bir API anahtarını "Authorization: Bearer <anahtar>" olarak gönderin.
problem-rate-limited = Çok fazla deneme
problem-rate-limited-detail = Birkaç dakika bekleyip yeniden deneyin.
problem-invalid-state = Bu işlem şu anda yapılamaz
problem-bad-request = İstek okunamadı
problem-internal = Bizim tarafımızda bir sorun oluştu
problem-internal-detail = Hata { $request_id } istek numarasıyla kaydedildi.

lifecycle-subscriber = Abone
lifecycle-lead = Aday
lifecycle-qualified = Nitelikli aday
lifecycle-opportunity = Fırsat
lifecycle-customer = Müşteri
lifecycle-churned = Kaybedilen müşteri

lead-status-new = Yeni
lead-status-attempted = Ulaşılmaya çalışıldı
lead-status-connected = Görüşüldü
lead-status-in_progress = Süreçte
lead-status-unqualified = Nitelik dışı
lead-status-bad_timing = Zamanlama uygun değil

lead-source-website = Web sitesi
lead-source-referral = Tavsiye
lead-source-event = Etkinlik
lead-source-advertising = Reklam
lead-source-cold_call = Soğuk arama
lead-source-social_media = Sosyal medya
lead-source-partner = İş ortağı
lead-source-email = E-posta
lead-source-other = Diğer

size-1-9 = 1–9 çalışan
size-10-49 = 10–49 çalışan
size-50-249 = 50–249 çalışan
size-250-999 = 250–999 çalışan
size-1000plus = 1000+ çalışan

role-administrator = Yönetici
role-sales_manager = Satış müdürü
role-sales_rep = Satış temsilcisi
role-support_agent = Destek temsilcisi
role-marketer = Pazarlamacı
role-read_only = Salt okunur

field-name = Ad
field-first_name = Ad
field-last_name = Soyad
field-emails = E-posta adresleri
field-phones = Telefon numaraları
field-website = Web sitesi
field-street = Adres
field-district = İlçe
field-city = İl
field-postal_code = Posta kodu
field-country = Ülke
field-tags = Etiketler
field-lifecycle_stage = Yaşam döngüsü aşaması
field-lead_status = Aday durumu
field-lead_source = Aday kaynağı
field-bant_budget = Bütçe doğrulandı
field-bant_authority = Yetki doğrulandı
field-bant_need = İhtiyaç doğrulandı
field-bant_timing = Zamanlama doğrulandı
field-industry = Sektör
field-size = Firma büyüklüğü
field-annual_revenue = Yıllık ciro
field-currency = Para birimi
field-tax_office = Vergi dairesi
field-tax_number = Vergi kimlik numarası (VKN)
field-national_id = T.C. kimlik numarası (TCKN)
field-trade_registry_number = Ticaret sicil numarası
field-e_invoice = e-Fatura mükellefi
field-notes = Notlar
field-company_id = Firma
field-job_title = Unvan
field-birthday = Doğum tarihi
field-owner = Sorumlu
field-owner_id = Sorumlu
field-team = Ekip
field-team_id = Ekip
field-email = E-posta
field-password = Parola
field-role = Rol
field-active = Etkin
field-locale = Dil
field-current_password = Mevcut parola
field-new_password = Yeni parola
field-tag = Etiket

# Added by the UI frame: password confirmation, state refusals shown on forms.
invalid-password-mismatch = İki parola birbirini tutmuyor.
invalid-state-self-demotion = Kendinizi devre dışı bırakamaz ve kendi yönetici rolünüzü kaldıramazsınız.
field-password_confirm = Parola (tekrar)
field-new_password_confirm = Yeni parola (tekrar)
field-team_name = Ekip adı
