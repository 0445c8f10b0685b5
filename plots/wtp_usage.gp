# Willingness to pay against usage: one point per customer billed in the
# last month of the first replication (a sample of at most 2,000), both
# axes logarithmic; the rank correlation the scenario asked for shows as
# the cloud's tilt. Data $pts: interactions that month, WTP in $ a month.
set title title_text noenhanced
set xlabel "interactions in the last month"
set ylabel "willingness to pay ($ a month)"
set logscale xy
set grid xtics ytics lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
plot $pts using 1:2 with points pt 7 ps 0.4 lc rgb "#4292c6" title sprintf("customers (Spearman %.2f asked)", rho_s)
