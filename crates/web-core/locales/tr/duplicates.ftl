# Kopyalar: zaten kayıtlı bir kişiyi veya firmayı tekrarlayan kayıt.
problem-duplicate = Bu kayıt zaten var
problem-duplicate-detail = { $name } (#{ $id }) kaydını tekrarlıyor. Yine de kaydetmek için allow_duplicate=true verin.
problem-duplicate-hidden = Göremediğiniz bir kaydı (#{ $id }) tekrarlıyor. Yine de kaydetmek için allow_duplicate=true verin.
invalid-duplicate-record = Bu bilgi başka bir kayıtta zaten var.
duplicate-notice = Bu kayıt zaten var olabilir:
duplicate-hidden = açamadığınız bir kayıt (sahibine veya bir yöneticiye sorun)
duplicate-notice-detail = Yeni bilgileri oraya eklemek için açın ya da ikisini de tutmak için "Yine de kaydet"i işaretleyin.
duplicate-save-anyway = Yine de kaydet
invalid-merge-self = Bir kayıt kendisiyle birleştirilemez.
invalid-merge-unknown = Birleştirilecek, görebildiğiniz böyle bir kayıt yok.
invalid-merge-vkn = Bu firmaların vergi numaraları farklı: ayrı tüzel kişilerdir, birleştirilemez.
invalid-merge-tckn = Bunların T.C. kimlik numaraları farklı: ayrı kişilerdir, birleştirilemez.
invalid-merge-ledger = Bu kaydın faturaları, tahsilatları veya cari hareketleri var; birleştirmeyi ters yönde, bu kayda doğru yapın.
action-merged = Birleştirildi
action-merged_into = Başka bir kayıtla birleştirildi
field-merged_from = Birleştirilen kayıt
field-merged_into = Birleştiği kayıt
duplicates-title = Olası kopyalar
duplicates-lead = Görebildiğiniz ve e-posta adresi, telefonu, T.C. kimlik ya da vergi numarası aynı olan ya da adları benzeyen kayıtlar (kişilerde aynı firmada ya da aynı ilde, firmalarda "Ltd. Şti.", "A.Ş." gibi ekler olmadan). Tuttuğunuz kayıt, diğerinde olup kendisinde olmayan bilgileri ve tüm aktivite, görev, yorum, dosya, fırsat ve izinlerini alır; diğeri çöp kutusuna gider.
duplicates-empty = Olası kopya yok.
duplicates-shared = Ortak
duplicates-keep = Bunu tut, diğerini bununla birleştir
notice-merged = Kayıtlar birleştirildi.
duplicates-similar-name = Benzer ad
duplicates-compare = Karşılaştır ve birleştir
merge-title = İki kaydı birleştir
merge-lead = Soldaki kayıt kalır. İkisinde farklı değer olan alanlarda tutulacak değeri seçin; boş bir değer diğer kayıttan doldurulur.
merge-swap = Bunun yerine diğerini tut
merge-field = Alan
merge-kept = Kalan
merge-other = Buna katılan
merge-address = Adres
merge-list-hint = İki liste de tutulur; seçilen önce gelir.
merge-moves = Sağdaki kaydın tüm aktivite, görev, yorum, dosya, fırsat, teklif, sipariş ve izinleri soldakine taşınır; sağdaki kayıt soldakini göstererek çöp kutusuna gider.
merge-submit = Birleştir
invalid-merge-field = Bu, diğer kayıttan alınabilecek bir alan değil.
