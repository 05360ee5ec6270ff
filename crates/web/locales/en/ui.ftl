nav-main = Main navigation
nav-people = People
nav-companies = Companies
error-csrf = This form has expired. Reload the page and try again.
