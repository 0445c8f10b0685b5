# The plan mix of a menu over time: customers of each plan per month (means
# across replications), stacked from the bottom in the plans' order, and the
# month's arrivals who chose no plan as a dashed line. Data $mix: month,
# then the customers of plans 1..nplans, then the arrivals who chose none;
# names[i]: the plans' names.
set title title_text noenhanced
set xlabel "month"
set ylabel "customers"
set xrange [months > 1 ? 1 : 0.5 : months > 1 ? months : 1.5]
set yrange [0:*]
set grid ytics lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
set style fill solid 0.8 noborder
plot for [i=1:nplans] $mix using 1:(sum [k=2:i+1] column(k)):(sum [k=2:i] column(k)) \
         with filledcurves lc i title names[i], \
     $mix using 1:(column(nplans + 2)) with lines lw 2 dt 2 lc rgb "#000000" title "chose no plan (arrivals)"
