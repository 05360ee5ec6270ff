nav-main = Ana menü
nav-people = Kişiler
nav-companies = Firmalar
error-csrf = Bu formun süresi doldu. Sayfayı yenileyip yeniden deneyin.
