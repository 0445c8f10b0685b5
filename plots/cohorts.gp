# Revenue per month by sign-up cohort for one plan (means across
# replications), stacked so that the oldest cohorts lie at the bottom: the
# "layer cake". Data $coh: month, then the running sum over cohort groups
# (thousands of dollars), column i+1 holding groups 1..i; `labels` names the
# groups, `groups` counts them.
set title title_text noenhanced
set xlabel "month"
set ylabel "thousand $ per month"
set xrange [months > 1 ? 1 : 0.5 : months > 1 ? months : 1.5]
set yrange [0:*]
set grid ytics lc rgb "#e0e0e0"
set key outside right top vertical noenhanced title "signed up in"
set style fill solid 1.0 noborder
set palette defined (0 "#08306b", 0.5 "#4292c6", 1 "#deebf7")
unset colorbox
plot for [i=groups:1:-1] $coh using 1:(column(i + 1)) with filledcurves x1 \
     lc palette frac (groups > 1 ? (i - 1.0) / (groups - 1) : 0) title word(labels, i)
