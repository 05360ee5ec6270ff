# Arayüz çerçevesi, giriş, ayarlar ve yönetim sayfaları.
# Kayıt sayfaları (kişiler, firmalar, çöp kutusu) metinlerini records.ftl'de tutar.

## Navigation
nav-main = Ana menü
nav-skip = İçeriğe geç
nav-toggle = Menü
nav-home = Ana sayfa
nav-people = Kişiler
nav-companies = Firmalar
nav-admin = Yönetim
nav-users = Kullanıcılar
nav-teams = Ekipler
nav-audit = Denetim kaydı
nav-trash = Çöp kutusu
nav-settings = Ayarlar
nav-api-docs = API belgeleri
nav-breadcrumbs = Buradasınız

## Common actions
action-login = Giriş yap
action-logout = Çıkış yap
action-theme = Açık ve koyu tema arasında geç
action-save = Kaydet
action-cancel = Vazgeç
action-filter = Süz
action-clear = Süzgeçleri temizle
action-copy = Kopyala
action-copied = Panoya kopyalandı
table-actions = İşlemler
form-has-errors = Bazı alanlar düzeltilmeli. Açıklamalar her alanın altında.
hint-password = En az 10 karakter. Uzun bir cümle hem akılda kalır hem de tahmin edilmesi zordur.
value-true = Evet
value-false = Hayır
pagination-older = Daha eski
pagination-newest = En yeni

## Notices after an action
notice-saved = Değişiklikler kaydedildi.
notice-signed-out = Çıkış yaptınız.
notice-password-changed = Parolanız değiştirildi.
notice-token-created = API anahtarı oluşturuldu.
notice-token-revoked = API anahtarı iptal edildi. Onu kullanan programlar artık giriş yapamaz.
notice-user-created = Kullanıcı oluşturuldu.
notice-team-created = Ekip hazır.

## Secrets shown once
secret-token-once = Bu anahtarı şimdi kopyalayın: yalnızca bir kez gösterilir ve Rehber yalnızca parmak izini saklar. Onu bir parola gibi koruyun.
secret-password-once = Bu parolayı şimdi kopyalayıp kullanıcıya güvenli bir yoldan iletin: yalnızca bir kez gösterilir. Kullanıcı onu Ayarlar'dan değiştirebilir.

## Errors
error-csrf = Bu formun süresi doldu. Sayfayı yenileyip yeniden deneyin.
error-title = Hata
error-home = Ana sayfaya dön
error-back = Geri dön
error-request-id = İstek numarası:
error-toast = İstek tamamlanamadı. Sayfayı yenileyip yeniden deneyin.
error-not-found-title = Sayfa bulunamadı
error-not-found-detail = Bu sayfa ya da kayıt yok, silinmiş ya da sizin görebileceğiniz kayıtlar arasında değil.
error-forbidden-title = Erişim yok
error-forbidden-detail = Rolünüz bu işleme izin vermiyor. Erişime ihtiyacınız varsa bir yöneticiye başvurun.
error-stale-title = Kayıt başka biri tarafından değiştirildi
error-stale-detail = Siz düzenlerken başka biri bu kaydı kaydetti. Kaydı yeniden açın, onun değişikliğine bakın ve kendi değişikliğinizi yeniden yapın.
error-rate-limited-title = Çok fazla deneme
error-rate-limited-detail = Birkaç dakika bekleyip yeniden deneyin.
error-invalid-state-title = Bu işlem şu anda yapılamaz
error-invalid-state-detail = Kayıt bu işleme izin veren bir durumda değil.
error-validation-title = Bazı değerler geçersiz
error-validation-detail = Geri dönün, aşağıdaki değerleri düzeltin ve yeniden deneyin.
error-internal-title = Bizim tarafımızda bir sorun oluştu
error-internal-detail = Hata kayda geçti. Yeniden olursa aşağıdaki istek numarasını yöneticinize iletin.

## First run
setup-title = Rehber kurulumu
setup-heading = Rehber'e hoş geldiniz
setup-lead = İlk yönetici hesabını oluşturun. Ekibinizi daha sonra ekleyebilirsiniz.
setup-submit = Hesabı oluştur ve giriş yap

## Sign in
login-title = Giriş
login-heading = Rehber'e giriş yapın
login-lead = İş e-posta adresinizi ve parolanızı kullanın.
login-failed = E-posta adresi ya da parola yanlış.
login-rate-limited = Çok fazla başarısız deneme yapıldı. { $seconds } saniye sonra yeniden deneyin.

## Home
home-title = Ana sayfa
home-welcome = Hoş geldiniz, { $name }
home-lead = Müşterilerinize bir bakışta göz atın.
home-counts = Kayıtlarınız
home-people = Görebildiğiniz kişiler
home-companies = Görebildiğiniz firmalar
home-quick = Hızlı bağlantılar
home-new-person = Yeni kişi
home-new-company = Yeni firma
home-api-token = API anahtarı oluştur
home-recent = Son değişiklikler
home-all-audit = Tüm denetim kaydı

## Settings
settings-title = Ayarlar
settings-lead = Diliniz, parolanız ve API erişiminiz.
settings-language = Dil
settings-language-hint = Rehber sayfaları, tarihleri ve sayıları bu dilde gösterir.
settings-password = Parola
settings-password-submit = Parolayı değiştir
settings-tokens = API anahtarları
settings-tokens-lead = Programlar Rehber API'sini sizin adınıza ve sizin yetkilerinizle bir anahtarla çağırır.
settings-tokens-empty = Henüz API anahtarınız yok.
settings-token-name = Anahtar adı
settings-token-name-hint = Nerede kullanıldığını yazın, örneğin "Muhasebe aktarımı".
settings-token-create = Anahtar oluştur
settings-token-created = Yeni anahtar: "{ $name }"
settings-token-prefix = Başlangıcı
settings-token-created-at = Oluşturulma
settings-token-last-used = Son kullanım
settings-token-never = Hiç
settings-token-status = Durum
settings-token-active = Etkin
settings-token-revoked = İptal edildi
settings-token-revoke = İptal et
settings-token-revoke-confirm = "{ $name }" anahtarı iptal edilsin mi? Onu kullanan programlar çalışmayı durdurur.

## Administration: users
admin-users-title = Kullanıcılar
admin-users-lead = Kimin hangi rolle ve hangi ekipte giriş yapabildiği.
admin-users-new = Yeni kullanıcı
admin-users-create = Kullanıcıyı oluştur
admin-users-status = Durum
admin-users-active = Etkin
admin-users-inactive = Devre dışı
admin-users-since = Oluşturulma
admin-users-created = { $name } artık giriş yapabilir
admin-users-created-lead = Giriş e-postası: { $email }
admin-no-team = Ekip yok
admin-new-team = Ya da yeni ekip
admin-new-team-hint = Bir ad yazarsanız ekip oluşturulur ve kullanıcı o ekibe eklenir.
admin-password-hint = Boş bırakırsanız Rehber güçlü bir parola üretir ve size bir kez gösterir.
admin-user-title = Kullanıcı
admin-user-edit = Profil ve erişim
admin-user-self-hint = Kendinizi devre dışı bırakamaz ve yönetici rolünüzü bırakamazsınız.
admin-user-password = Parola
admin-user-password-lead = Kullanıcıya üretilmiş yeni bir parola verin. Açık oturumları kapanır.
admin-user-password-button = Parolayı sıfırla
admin-user-password-confirm = Bu kullanıcının parolası sıfırlansın mı? Yeni parolayı kullanması gerekecek.
admin-user-password-reset = Yeni parola

## Administration: teams
admin-teams-title = Ekipler
admin-teams-lead = Satış müdürleri ekiplerinin müşterilerini, satış temsilcileri kendi müşterilerini görür.
admin-teams-members = Üye
admin-teams-new = Yeni ekip
admin-teams-create = Ekibi oluştur
admin-teams-empty = Henüz ekip yok
admin-teams-empty-lead = Bir ekip oluşturun, sonra kullanıcıları kendi sayfalarından ekibe ekleyin.

## Administration: audit log
admin-audit-title = Denetim kaydı
admin-audit-lead = Her değişiklik, kimin yaptığı ve ne zaman yapıldığı. En yenisi en üstte.
audit-time = Zaman
audit-actor = Kullanıcı
audit-record = Kayıt
audit-action = İşlem
audit-changes = Değişiklikler
audit-to = yeni değer
audit-anyone = Herkes
audit-any-type = Tüm kayıtlar
audit-system = Sistem
audit-empty = Eşleşen kayıt yok.
record-person = Kişi
record-company = Firma
record-user = Kullanıcı
record-team = Ekip
record-api_token = API anahtarı
record-demo = Örnek veri
action-created = Oluşturuldu
action-updated = Güncellendi
action-deleted = Silindi
action-restored = Geri yüklendi
action-revoked = İptal edildi
action-password_reset = Parola sıfırlandı
action-generated = Üretildi
action-signed_in = Oturum açıldı
action-sign_in_failed = Oturum açma başarısız
field-address = Adres (IP)
field-failures = Art arda başarısız deneme
field-delay_seconds = Sonraki deneme gecikmesi (saniye)

## Tüm kayıt türlerinde arama
search-title = Arama
search-lead = Görebildiğiniz kişi ve firmalar, listelerinin bulduğu gibi.
search-label = Kişi ve firma ara
search-placeholder = Kişi ve firma ara…
search-action = Ara
search-shortcut = Her sayfadan aramak için / tuşuna basın
search-people = Kişiler
search-companies = Firmalar
search-none = Bir şey bulunamadı. Daha az ya da daha kısa sözcük deneyin: sözcüğün başı yeter.
search-more = Bütün sonuçları listede gör

## Kaydın sayfasındaki etkinlikler
activities-title = Zaman akışı
activities-empty = Bu türden henüz bir şey yok: yukarıdan bir arama, e-posta ya da ziyaret kaydedin veya bir görev ekleyin.
activities-log = Kaydet
activities-back = Kayda dön
activity-kind = Tür
activity-status = Durum
activity-when = Ne zaman
activity-subject = Konu
activity-body = Ayrıntılar
activity-kind-call = Arama
activity-kind-email = E-posta
activity-kind-sms = SMS
activity-kind-meeting = Toplantı
activity-kind-visit = Ziyaret
activity-kind-note = Not
activity-status-planned = Planlandı
activity-status-done = Yapıldı
activity-status-cancelled = İptal edildi
activity-outcome-connected = Ulaşıldı
activity-outcome-no_answer = Cevap yok
activity-outcome-busy = Meşgul
activity-outcome-voicemail = Sesli mesaj
activity-outcome-wrong_number = Yanlış numara
activity-outcome-held = Yapıldı
activity-outcome-no_show = Gelmedi
activity-outcome-rescheduled = Ertelendi
notice-activity-saved = Etkinlik kaydedildi.

## Görevler ve "Bugün"
nav-today = Bugün
nav-tasks = Görevler
today-title = Bugün
today-days = Diğer günler
today-previous = Önceki gün
today-next = Sonraki gün
today-back = Bugüne dön
today-overdue = Geciken
today-all-overdue = Geciken tüm görevler
today-tasks = Günün görevleri
today-no-tasks = Bu gün için görev yok. Yukarıdan bir görev ekleyin.
today-activities = Planlanan etkinlikler
today-no-activities = Bu gün için planlanmış toplantı, ziyaret ya da arama yok.
today-all-day = Tüm gün
weekday-1 = Pazartesi
weekday-2 = Salı
weekday-3 = Çarşamba
weekday-4 = Perşembe
weekday-5 = Cuma
weekday-6 = Cumartesi
weekday-7 = Pazar
task-new = Yeni görev
task-title = Görev
task-title-placeholder = Ne yapılacak?
task-due-date = Son tarih
task-due-time = Saat (isteğe bağlı)
task-priority = Öncelik
task-priority-low = Düşük
task-priority-normal = Normal
task-priority-high = Yüksek
task-assignee = Atanan
task-add = Görev ekle
task-no-due = Son tarih yok
task-overdue = Gecikti
task-status-open = Açık
task-status-done = Tamamlandı
task-done = Tamam
task-done-named = “{ $title }” görevini tamamla
task-snooze-day = +1 gün
task-snooze-week = +1 hafta
task-snooze-day-named = “{ $title }” görevini bir gün ertele
task-snooze-week-named = “{ $title }” görevini bir hafta ertele
tasks-title = Görevler
tasks-lead = Sizin ve ekibinizin görevleri: süzün, birkaçını birden tamamlayın ya da bir çalışma arkadaşınıza devredin.
tasks-filters = Görevleri süz
tasks-who = Kimin
tasks-who-mine = Benim
tasks-who-all = Görebildiğim herkes
tasks-status = Durum
tasks-status-all = Açık ve tamamlanan
tasks-due = Son tarih
tasks-due-any = Her zaman
tasks-due-overdue = Geciken
tasks-due-today = Bugün
tasks-due-week = 7 gün içinde
tasks-found = Görevler
tasks-empty = Bu süzgeçlere uyan görev yok.
tasks-select = “{ $title }” görevini seç
tasks-bulk-action = Seçilen görevlerle
tasks-bulk-complete = Tamamlandı say
tasks-bulk-reassign = Şu kişiye ata
tasks-bulk-apply = Uygula
tasks-next = Sonraki görevler
notice-task-saved = Görev eklendi.
notice-task-done = Görev tamamlandı.
notice-task-snoozed = Görev ertelendi.
notice-tasks-changed = Seçilen görevler değiştirildi.
notice-tasks-some-changed = Seçilen görevlerin bir kısmı değiştirildi; diğerlerini değiştiremezsiniz ya da atanan kişi kayıtlarını göremiyor.
timeline-all = Tümü
timeline-activities = Etkinlikler
timeline-tasks = Görevler
timeline-changes = Değişiklikler
timeline-task = Görev
timeline-task-due = Son tarih
timeline-filter = Zaman akışında göster
timeline-older = Daha eskiler
settings-feed = Takvim akışı
settings-feed-lead = Planlanmış toplantı, ziyaret ve aramalarınız ile açık görevleriniz Google Takvim, Outlook ya da Apple Takvim'de: adrese abone olun (.ics akışı). Adresi bilen herkes bunları görür: sızarsa yenisini oluşturun.
settings-feed-none = Henüz bir takvim akışınız yok.
settings-feed-active = Takvim akışınız etkin. Adresi yalnızca oluşturulduğunda bir kez gösterildi; kaybettiyseniz yenisini oluşturun.
settings-feed-once = Bu adresi şimdi takvim uygulamanıza kopyalayın: yalnızca bir kez gösterilir.
settings-feed-create = Akış adresi oluştur
settings-feed-replace = Yeni adres oluştur
settings-feed-replace-confirm = Şimdiki adres çalışmayı bırakacak. Yenisi oluşturulsun mu?
settings-feed-revoke = Akışı kapat
settings-feed-revoke-confirm = Takvim akışı kapatılsın mı? Takvim uygulamaları güncelleme almayı bırakır.
notice-feed-created = Takvim akışı adresiniz oluşturuldu; önceki adres artık çalışmıyor.
notice-feed-revoked = Takvim akışı kapatıldı.
nav-calendar = Takvim
calendar-title = Takvim
calendar-periods = Diğer dönemler
calendar-previous = Önceki
calendar-next = Sonraki
calendar-today = Bugün
calendar-filters = Takvim görünümü
calendar-view = Görünüm
calendar-month = Ay
calendar-week = Hafta
calendar-who = Kimin
calendar-who-me = Benim
calendar-who-all = Görebildiğim herkes
calendar-open-day = Bu günü aç
calendar-add = { $day } için etkinlik planla
calendar-truncated = Bu dönemde binden fazla kayıt var; bazıları gösterilmiyor. Bir haftaya ya da bir kişiye daraltın.
month-1 = Ocak
month-2 = Şubat
month-3 = Mart
month-4 = Nisan
month-5 = Mayıs
month-6 = Haziran
month-7 = Temmuz
month-8 = Ağustos
month-9 = Eylül
month-10 = Ekim
month-11 = Kasım
month-12 = Aralık

# Comments and mentions
timeline-comment = Yorum
timeline-comments = Yorumlar
comment-body = Yorum
comment-mention-hint = Bir çalışma arkadaşınızı anmak için @ yazıp adının başını yazın; yalnızca bu kaydı görebilenler listelenir.
comment-mentioned = Anılanlar
comment-mention-none = Bu adla kaydı görebilen bir kullanıcı yok.
comment-mention-choose = Anılacak kişiyi seçin
comment-delete-confirm = Bu yorum silinsin mi?
notice-comment-deleted = Yorum silindi.

# Notifications
nav-notifications = Bildirimler
notifications-title = Bildirimler
notifications-unread = okunmamış bildirim
notifications-unread-count = { $count } okunmamış bildirim
notifications-all-read = Hepsini okudunuz.
notifications-filter = Bildirimleri süz
notifications-all = Tümü
notifications-unread-only = Okunmamış
notifications-read-all = Tümünü okundu say
notifications-none = Henüz bildiriminiz yok. Biri sizi bir yorumda andığında, size bir görev verdiğinde ya da bir hatırlatmanın zamanı geldiğinde burada görürsünüz.
notifications-none-unread = Okunmamış bildiriminiz yok.
notifications-new = Yeni
notifications-mark-read = Okundu say
notifications-older = Daha eski bildirimler
notice-notifications-read = Tüm bildirimler okundu sayıldı.
notification-hidden-record = artık göremediğiniz bir kayıt
notification-mention = { $actor } sizi { $title } kaydında andı
notification-assignment = { $actor } size bir görev verdi: { $title }
notification-reminder = Hatırlatma: { $title }

# Passwords and invitations by e-mail
login-forgot = Parolamı unuttum
forgot-title = Parola sıfırlama
forgot-heading = Parolamı unuttum
forgot-lead = Hesabınızın e-posta adresini yazın; yeni bir parola belirlemeniz için bir bağlantı gönderelim.
forgot-send = Bağlantıyı gönder
forgot-sent = { $email } adresine kayıtlı bir hesap varsa, parola sıfırlama bağlantısı birkaç dakika içinde oraya gelecek.
forgot-sent-lead = Bağlantı bir saat geçerlidir ve bir kez kullanılabilir. E-posta gelmezse gereksiz klasörüne bakın ya da yöneticinize başvurun.
forgot-no-mail = Bu Rehber kurulumunda e-posta gönderimi ayarlanmamış. Yöneticinizden parolanızı sıfırlamasını isteyin (Yönetim → Kullanıcılar).
forgot-back = Giriş sayfasına dön
set-password-title = Parola belirle
set-password-invite-heading = Rehber'e hoş geldiniz
set-password-reset-heading = Yeni parola belirleyin
set-password-lead = { $name }, hesabınız için bir parola seçin:
set-password-new = Yeni parola
set-password-repeat = Yeni parola (tekrar)
set-password-hint = En az 10 karakter. Uzun bir cümle hem akılda kalır hem güvenlidir.
set-password-save = Parolayı kaydet
set-password-dead-heading = Bu bağlantı artık geçerli değil
set-password-dead = Bağlantı kullanılmış ya da süresi dolmuş. Yeni bir bağlantı isteyebilir ya da yöneticinizden yeni bir davet gönderilmesini isteyebilirsiniz.
notice-password-set = Parolanız kaydedildi. Şimdi giriş yapabilirsiniz.
admin-invite = E-postayla davet gönder
admin-invite-hint = Kullanıcı, parolasını kendisi belirlemesi için 3 gün geçerli bir bağlantı alır; parolayı kimseye iletmeniz gerekmez.
notice-user-invited = Kullanıcı oluşturuldu; davet e-postası gönderiliyor.

# E-mails
email-greeting = Merhaba { $name },
email-invite-subject = Rehber'e davet edildiniz
email-invite-lead = Rehber'de sizin için bir hesap açıldı ({ $email }). Parolanızı belirlemek için bu bağlantıyı açın:
email-invite-valid = Bağlantı 3 gün geçerlidir ve bir kez kullanılabilir.
email-reset-subject = Rehber parola sıfırlama
email-reset-lead = { $email } hesabı için yeni bir parola istendi. Yeni parolanızı belirlemek için bu bağlantıyı açın:
email-reset-valid = Bağlantı bir saat geçerlidir ve bir kez kullanılabilir. Bu isteği siz yapmadıysanız bu e-postayı yok sayın; parolanız değişmez.
email-open-in-rehber = Rehber'de açmak için:
email-notification-footer = Bu e-postayı, bildirim Rehber'de okunmadan beklediği için aldınız. Okuduğunuz bildirimler için e-posta gönderilmez.

settings-notifications = Bildirimler
settings-notifications-lead = Biri sizi bir yorumda andığında, size bir görev verdiğinde ya da bir görevin hatırlatma zamanı geldiğinde, kenar çubuğundaki zil sayar ve Bildirimler sayfasında listelenir.
settings-notifications-email = Bir bildirim { $minutes } dakika içinde okunmazsa e-posta adresinize bir kez gönderilir. O süre içinde okuduğunuz bildirimler için e-posta gelmez.
settings-notifications-no-email = Bu kurulumda e-posta gönderimi ayarlanmamış: bildirimler yalnızca Rehber'de görünür.

# Attachments
attachments-title = Dosyalar
attachments-drop = Dosyayı buraya bırakın ya da seçin
attachments-limit = En çok { $limit }. Resimler ve PDF'ler önizlenebilir.
attachments-upload = Yükle
attachments-empty = Henüz dosya yok.
attachments-preview = Önizle
attachments-delete-confirm = Bu dosya silinsin mi?
notice-file-attached = Dosya eklendi.
notice-file-refused = Dosya eklenemedi: boş, çok büyük ya da bir program olabilir.
notice-file-deleted = Dosya silindi.
invalid-file-empty = Dosya boş.
invalid-file-upload = Dosya yüklenirken bağlantı kesildi; yeniden deneyin.
invalid-file-executable = Programlar (exe, elf ve benzerleri) eklenemez.
invalid-file-missing = Bir dosya seçin.
problem-file-too-large-detail = Dosya en çok { $limit } olabilir; hiçbir şey kaydedilmedi.
error-file-too-large = Dosya çok büyük

# Planning from the calendar
calendar-plan-title = Etkinlik planla
calendar-plan-lead = Bir toplantı, ziyaret ya da arama planlayın: takvimde, "Bugün" sayfasında ve kaydın zaman akışında görünür.
calendar-plan-record = Kişi ya da firma
calendar-plan-record-hint = Adını yazmaya başlayın; yalnızca görebildiğiniz kayıtlar listelenir.
calendar-plan-record-required = Etkinliğin ilgili olduğu kişiyi ya da firmayı seçin.
calendar-plan-location = Yer
calendar-plan-save = Planla
calendar-pick-person = Kişi
calendar-pick-company = Firma
notice-activity-planned = Etkinlik planlandı.

# Yönetim → Satış süreçleri
nav-pipelines = Satış süreçleri
pipelines-admin-title = Satış süreçleri
pipelines-admin-lead = Fırsatların geçtiği aşamalar. Her süreçte açık aşamalar, bir kazanıldı ve bir kaybedildi aşaması bulunur; olasılık tahmini ağırlıklandırır.
pipelines-new = Yeni süreç
pipelines-delete = Süreci sil
pipelines-delete-confirm = Bu süreç ve aşamaları silinsin mi?
pipelines-name = Ad
pipelines-currency = Para birimi
pipelines-currency-hint = TRY, EUR ya da USD gibi bir ISO kodu; panonun toplamları bu birimde gösterilir.
pipelines-stages = Aşamalar
pipelines-stages-hint = Fırsatların geçtiği sırayla. Açık aşamalara eşit dağıtmak için olasılığı boş bırakın; verilen gün kadar dokunulmayan fırsat bekliyor olarak gösterilir. Aşama eklemek için boş bir satırı doldurun, kaldırmak için satırı işaretleyin.
pipelines-stage-order = Sıra
pipelines-stage-name = Aşama
pipelines-stage-kind = Tür
pipelines-stage-probability = Olasılık (%)
pipelines-stage-rotting = Bekleme sınırı (gün)
pipelines-stage-remove = Kaldır
pipelines-default-open = Yeni
pipelines-default-won = Kazanıldı
pipelines-default-lost = Kaybedildi
stage-kind-open = Açık
stage-kind-won = Kazanıldı
stage-kind-lost = Kaybedildi
notice-pipeline-created = Süreç oluşturuldu.
notice-pipeline-deleted = Süreç silindi.
