# Satış hedefleri ve tahmin.

nav-forecast = Tahmin

invalid-period-order = Dönemin sonu başından önce olamaz.
invalid-period-too-long = Bir hedefin dönemi en çok 366 gün olabilir.
invalid-target-subject = Bir temsilci ya da bir ekip seçin (ikisi birden değil).
invalid-target-range = Hedef sıfır ile bir katrilyon arasında olmalı.
invalid-state-target-overlap = Bu temsilci ya da ekibin aynı ölçüde bu dönemle çakışan bir hedefi var.

forecast-title = Satış tahmini
forecast-lead = Dönemin hedefi, kazanılanlar, kesin ve en iyi durum fırsatları, ağırlıklı fırsatlar ve hedefe kalan; tutarlar TRY.
forecast-period = Dönem
forecast-month = Ay
forecast-quarter = Çeyrek
forecast-date = Dönemdeki bir gün
forecast-subject = Kimin
forecast-everyone = Herkes
forecast-show = Göster
forecast-previous = Önceki dönem
forecast-next = Sonraki dönem
forecast-range = { $start } – { $end }
forecast-rep = Temsilci
forecast-total = Toplam
forecast-unassigned = Sahibi olmayan fırsatlar
forecast-target = Hedef
forecast-closed-won = Kazanılan
forecast-weighted = Ağırlıklı
forecast-gap = Hedefe kalan
forecast-won-count = Kazanılan fırsat
forecast-new-customers = Yeni müşteri
forecast-of-target = { $value } / { $target }
forecast-no-target = hedef yok
forecast-unpriced = { $count } fırsat sayıldı ama tutarı ya da kuru olmadığı için toplamlara girmedi.
forecast-missing-rates = Kuru girilmemiş para birimleri: { $currencies }.
forecast-chart = Dönemin tahmin grafiği
forecast-overdue-title = Beklenen kapanışı geçmiş açık fırsatlar
forecast-overdue-lead = Tahmin bunları kendiliğinden ileri taşımaz: tarihini güncelleyin ya da fırsatı kapatın.
forecast-overdue-none = Beklenen kapanışı geçmiş açık fırsat yok.
forecast-overdue-more = … ve { $count } fırsat daha.
forecast-overdue-days = { $days } gün geçti
forecast-fix = Düzelt

targets-title = Hedefler
targets-lead = Bu dönemle kesişen hedefler. Bir ekibin kendi hedefi, üyelerinin hedeflerinin toplamı yerine geçer; dönemi farklı bir hedef, paylaştığı gün oranında sayılır.
targets-empty = Bu dönem için hedef yok.
target-metric = Ölçü
target-metric-won_amount = Kazanılan tutar
target-metric-won_count = Kazanılan fırsat sayısı
target-metric-new_customers = Yeni müşteri sayısı
target-whose = Kimin
target-team-prefix = Ekip: { $name }
target-period = Dönem
target-start = Başlangıç
target-end = Bitiş
target-value = Hedef
target-currency = Para birimi
target-add = Hedef ekle
target-delete = Sil
target-delete-confirm = Bu hedef silinsin mi?
notice-target-added = Hedef eklendi.
notice-target-deleted = Hedef silindi.

record-sales_target = Satış hedefi
