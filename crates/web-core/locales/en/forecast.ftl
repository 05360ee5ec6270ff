# Sales targets and the forecast.

nav-forecast = Forecast

invalid-period-order = The period cannot end before it starts.
invalid-period-too-long = A target's period can be at most 366 days.
invalid-target-subject = Choose a rep or a team (not both).
invalid-target-range = The target must be between zero and a quadrillion.
invalid-state-target-overlap = This rep or team already has a target of the same measure overlapping this period.

forecast-title = Sales forecast
forecast-lead = The period's target, closed won, commit, best case and weighted pipeline; amounts in TRY.
forecast-period = Period
forecast-month = Month
forecast-quarter = Quarter
forecast-date = A day of the period
forecast-subject = Whose
forecast-everyone = Everyone
forecast-show = Show
forecast-previous = Previous period
forecast-next = Next period
forecast-range = { $start } – { $end }
forecast-rep = Rep
forecast-total = Total
forecast-unassigned = Deals without an owner
forecast-target = Target
forecast-closed-won = Closed won
forecast-weighted = Weighted
forecast-gap = Gap
forecast-won-count = Deals won
forecast-new-customers = New customers
forecast-of-target = { $value } / { $target }
forecast-no-target = no target
forecast-unpriced = { $count } deals were counted but not summed: they have no amount or no rate.
forecast-missing-rates = Currencies without a rate: { $currencies }.
forecast-chart = Forecast chart of the period
forecast-overdue-title = Open deals past their expected close
forecast-overdue-lead = The forecast does not roll these forward: update the date or close the deal.
forecast-overdue-none = No open deal is past its expected close.
forecast-overdue-more = … and { $count } more deals.
forecast-overdue-days = { $days } days late
forecast-fix = Fix

targets-title = Targets
targets-lead = Targets sharing a day with this period. A team's own target stands for the sum of its members'; a target with another period counts by the days it shares.
targets-empty = No target for this period.
target-metric = Measure
target-metric-won_amount = Amount won
target-metric-won_count = Deals won
target-metric-new_customers = New customers
target-whose = Whose
target-team-prefix = Team: { $name }
target-period = Period
target-start = Start
target-end = End
target-value = Target
target-currency = Currency
target-add = Add target
target-delete = Delete
target-delete-confirm = Delete this target?
notice-target-added = Target added.
notice-target-deleted = Target deleted.

record-sales_target = Sales target
