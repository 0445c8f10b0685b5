# The tail against its fitted power law, quantile by quantile, on log-log
# axes: points on the diagonal mean the law fits. Data $qq: fitted observed.
set title title_text noenhanced
set xlabel "quantile of the fitted power law"
set ylabel "observed quantile"
set logscale xy
set grid xtics ytics mxtics mytics lc rgb "#eeeeee"
set key top left noenhanced
set size ratio -1
plot $qq using 1:2 with points pt 7 ps 0.5 lc rgb "#2171b5" title "tail", \
     $qq using 1:1 with lines lw 1.5 dt 2 lc rgb "#a50f15" title "y = x"
