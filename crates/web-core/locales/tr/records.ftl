# Kişi, firma ve çöp kutusu sayfaları (listeler, kayıt sayfaları, formlar, toplu işlemler, geçmiş).
# Alan adları (field-*), seçenekler (lifecycle-*, lead-status-*, lead-source-*, size-*) ve
# doğrulama mesajları (invalid-*) main.ftl'de ortaktır.

## Kişiler
people-title = Kişiler
people-count = { $count } kişi
people-count-one = { $count } kişi
people-new = Yeni kişi
people-new-title = Yeni kişi
people-edit-title = Kişiyi düzenle
people-create = Kişiyi oluştur
people-empty = Henüz kişi yok
people-empty-lead = Satış yaptığınız ve birlikte çalıştığınız kişileri ekleyin: e-postaları, telefonları ve hangi aşamada oldukları.
people-none-match = Eşleşen kişi yok
people-delete-confirm = { $name } silinsin mi? Bir yönetici çöp kutusundan geri yükleyebilir.
people-section-business = Kişisel bilgiler
people-no-company = Bir firmaya bağlı değil.
people-company-hidden = Bu firma başka birinin portföyünde.
people-company-in-trash = çöp kutusunda
people-company-deleted = Bu firma silindi ve çöp kutusunda; bir yönetici geri yükleyebilir.

## Firmalar
companies-title = Firmalar
companies-count = { $count } firma
companies-count-one = { $count } firma
companies-new = Yeni firma
companies-new-title = Yeni firma
companies-edit-title = Firmayı düzenle
companies-create = Firmayı oluştur
companies-empty = Henüz firma yok
companies-empty-lead = Satış yaptığınız firmaları vergi bilgileri ve çalışanlarıyla birlikte ekleyin.
companies-none-match = Eşleşen firma yok
companies-delete-confirm = { $name } silinsin mi? Bir yönetici çöp kutusundan geri yükleyebilir.
companies-section-business = Ticari bilgiler
companies-people = Kişiler
companies-no-people = Burada çalışan, görebildiğiniz bir kişi henüz yok.
companies-add-person = Kişi ekle
companies-all-people = Bu firmanın tüm kişilerini göster

## Listeler
records-search = Ara
records-search-placeholder = Ad, e-posta, telefon veya ille arayın…
records-searching = Aranıyor…
records-filters = Filtreler
records-anyone = Herkes
records-any-team = Tüm ekipler
records-any-stage = Tüm aşamalar
records-combine = Eşleşme
records-combine-all = Tüm filtreler
records-combine-any = Herhangi bir filtre
records-sort = Sıralama
records-rule = Filtre kuralı
records-rule-active = Bu liste ayrıca adresteki bir filtre kuralıyla süzülüyor.
records-rule-remove = Kuralı kaldır
records-any-company = Tüm firmalar
records-created = Oluşturulma
records-updated = Güncelleme
records-created-from = Oluşturulma (başlangıç)
records-created-to = Oluşturulma (bitiş)
records-stage = Aşama
records-phone = Telefon
records-tax-number-short = VKN
records-filter-problems = Bazı filtreler okunamadı ve uygulanmadı:
records-none-match-lead = Başka bir arama deneyin veya filtreleri temizleyin.
records-pages = Sayfalar
records-first-page = İlk sayfa
records-next-page = Sonraki sayfa
records-previous-page = Önceki sayfa
records-page-of = Sayfa { $page } / { $pages }
records-columns = Sütunlar
records-columns-lead = Bu listede gösterilen sütunlar (bu tarayıcıda hatırlanır)

## Toplu işlemler
bulk-title = Toplu işlemler
bulk-lead = Seçili satırlar için:
bulk-select = { $name } seç
bulk-select-all = Bu sayfadaki tüm satırları seç
bulk-tag-label = Eklenecek etiket
bulk-tag-placeholder = Etiket
bulk-tag = Etiket ekle
bulk-owner-label = Yeni sahip
bulk-owner-placeholder = Sahip seçin…
bulk-assign = Sahip ata
bulk-delete = Seçilenleri sil
bulk-delete-confirm = Seçili kayıtlar silinsin mi? Bir yönetici çöp kutusundan geri yükleyebilir.
bulk-page-selected = Bu sayfadaki tüm satırlar seçili.
bulk-select-matching = Süzgece uyan { $count } kaydın tümünü seç
bulk-matching-selected = Süzgece uyan { $count } kaydın tümü seçili.
bulk-too-many-to-select = Tek işlemde değiştirilebilecekten (1.000) fazla kayıt uyuyor; tümü için süzgeci daraltın.
notice-bulk-too-many = 1.000'den fazla kayıt uyuyor: süzgeci daraltıp yeniden deneyin.
bulk-result-assign = Sahip atandı: { $changed } güncellendi, { $skipped } atlandı.
bulk-result-assign-away = { $changed } kayıt yeni sorumlusuna atandı; sorumlu ekibinizin dışında olduğu için kayıtlar artık görünümünüzde değil. { $skipped } atlandı.
notice-moved-out-of-view = Kaydedildi. Kayıt artık ekibiniz dışından birine ait olduğu için görünümünüzden çıktı.
bulk-result-tag = Etiket eklendi: { $changed } güncellendi, { $skipped } atlandı.
bulk-result-delete = { $changed } silindi, { $skipped } atlandı.

## Kayıt sayfaları
records-edit = Düzenle
records-edit-all = Tümünü düzenle
records-delete = Sil
records-primary = birincil
records-bant = BANT niteliği
records-bant-score = { $score }/4 onaylı
records-no-tags = Etiket yok.
records-no-notes = Not yok.
records-no-company = Firma yok
records-no-team = Ekip yok
records-none = Belirtilmedi
records-company-search = Firma ara…
records-section-profile = Profil
records-section-contact = İletişim
records-section-address = Adres
records-section-qualification = Nitelendirme
records-section-tags = Etiketler
records-section-notes = Notlar
records-section-ownership = Sahip ve ekip

## Formlar
records-list-hint = Boş kutular dikkate alınmaz; ilk adres ve numara birincildir.
records-add-email = E-posta ekle
records-add-phone = Telefon ekle
records-remove = Kaldır
records-confirm-discard = Yazdıklarınız kaydedilmeden atılsın mı?
records-company-none-found = Firma bulunamadı
records-tags-hint = Etiketleri virgülle ayırın, örneğin: vip, istanbul, fuar 2026.
records-tckn-hint = 11 hane; kontrol haneleriyle doğrulanır.
records-vkn-hint = 10 hane; kontrol hanesiyle doğrulanır.
records-company-tckn-hint = Sahibinin T.C. kimlik numarasıyla vergilendirilen şahıs firmaları için.
records-amount-hint = Örneğin 1.250.000,50 veya 1,250,000.50.
records-team-hint = Ekibi değiştirmezseniz yeni sahibin ekibine geçer.
records-stale = Siz düzenlerken bu kaydı başka biri değiştirdi
records-stale-detail = Hiçbir şey kaydedilmedi, yani onun değişikliği kaybolmadı. Girdiğiniz değerler formda duruyor: gerekenleri kopyalayın, güncel sürümü yükleyin ve değişikliğinizi yeniden uygulayın.
records-stale-reload = Güncel sürümü yükle
records-live-changed = Siz düzenlemeye başladıktan sonra bu kayıt değişti. Kaydetmek bu değişikliğin üzerine yazmaz; girdiğiniz değerler formda kalır.
records-live-deleted = Bu kaydı başka biri sildi.

## Geçmiş
history-title = Geçmiş
history-empty = Henüz kayıtlı değişiklik yok.
history-system = Sistem
history-fields = { $count } alan

## Çöp kutusu
trash-title = Çöp kutusu
trash-lead = Silinen kişiler ve firmalar. Geri yüklenen kayıt geçmişiyle birlikte geri gelir.
trash-people = Silinen kişiler
trash-companies = Silinen firmalar
trash-people-empty = Silinen kişi yok.
trash-companies-empty = Silinen firma yok.
trash-deleted-at = Silinme
trash-restore = Geri yükle

## İşlem sonrası bildirimler
notice-person-created = Kişi oluşturuldu.
notice-person-deleted = Kişi silindi. Bir yönetici çöp kutusundan geri yükleyebilir.
notice-company-created = Firma oluşturuldu.
notice-company-deleted = Firma silindi. Bir yönetici çöp kutusundan geri yükleyebilir.
notice-record-restored = Kayıt geri yüklendi.
notice-bulk-none-selected = Önce en az bir satır seçin.
notice-bulk-tag-required = Eklenecek etiketi yazın.
notice-bulk-owner-required = Yeni sahibi seçin.
notice-bulk-unknown = Bir işlem seçin.
notice-bulk-forbidden = Rolünüz bu işleme izin vermiyor.

# Saved views
views-title = Görünümler
views-none = Henüz kayıtlı görünüm yok. Süzgeçleri, sıralamayı ve sütunları ayarlayıp buradan kaydedin.
views-shared = Paylaşılan
views-delete = Sil
views-delete-confirm = Bu görünüm silinsin mi? Kayıtlar olduğu gibi kalır.
views-save-label = Bu listeyi görünüm olarak kaydet
views-name-placeholder = ör. İzmir'deki müşteriler
views-share = Herkesle paylaş (herkes yalnızca görebildiği kayıtları görür)
views-save-lead = Süzgeçler, sıralama ve sütunlar kaydedilir; aynı adlı görünüm yenisiyle değişir.
views-save = Görünümü kaydet
notice-view-saved = Görünüm kaydedildi.
notice-view-deleted = Görünüm silindi.
notice-view-not-found = Bu görünüm yok (artık) ya da başka birinin.
notice-view-name-required = Görünüme bir ad verin.
notice-view-name-invalid = Tek satırda en çok 80 karakterlik bir ad kullanın.
notice-view-too-many = Bu listenin zaten 50 görünümünü tutuyorsunuz; önce birini silin.
notice-view-unreadable = Görünüm bu sayfadan kaydedilemedi; sayfayı yenileyip yeniden deneyin.
