# Sobol indices of one output: for each uncertain input (in the scenario's
# order, top down) its first-order index S1 and its total index ST as bars
# with their 95% bootstrap intervals.
# Data $s: row s1 s1_lo s1_hi st st_lo st_hi label.
set title title_text noenhanced
set xlabel "share of the output's variance"
set grid xtics lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
set style fill solid 0.8 noborder
set ytics nomirror noenhanced
set yrange [0.3:nrows + 0.7]
set xrange [-0.05:1.05]
plot $s using ($2 / 2):($1 + 0.18):(0):($2 > 0 ? $2 : 0):($1 + 0.02):($1 + 0.34):ytic(8) \
         with boxxyerror lc rgb "#3182bd" title "first order S1", \
     $s using ($5 / 2):($1 - 0.18):(0):($5 > 0 ? $5 : 0):($1 - 0.34):($1 - 0.02) \
         with boxxyerror lc rgb "#e6550d" title "total ST", \
     $s using 2:($1 + 0.18):3:4 with xerrorbars pt 7 ps 0.5 lc rgb "black" title "95% interval", \
     $s using 5:($1 - 0.18):6:7 with xerrorbars pt 7 ps 0.5 lc rgb "black" notitle
