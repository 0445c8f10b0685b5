# How xmin was chosen: the Kolmogorov-Smirnov distance between the tail
# above each candidate xmin and its fitted power law; the fit keeps the
# smallest. Data $ks: xmin D alpha.
set title title_text noenhanced
set xlabel "candidate xmin"
set ylabel "KS distance D"
set logscale x
set grid xtics ytics lc rgb "#eeeeee"
set key top right noenhanced
set arrow from xmin_fit, graph 0 to xmin_fit, graph 1 nohead dt 3 lc rgb "#a50f15"
plot $ks using 1:2 with linespoints pt 7 ps 0.4 lc rgb "#2171b5" title "D(xmin)"
