# A sweep over one value: each plan's gross margin over the horizon at every
# point (mean, with the P5-P95 band of replications), the 50% line.
# Data $sw: x mean p5 p95, one block per plan (blocks separated by two blank
# lines, taken in turn by `index`).
set title title_text noenhanced
set xlabel xlabel_text noenhanced
set ylabel "gross margin over the horizon (%)"
set grid lc rgb "#e0e0e0"
set key outside right top vertical noenhanced
set style fill transparent solid 0.25 noborder
plot for [i=0:nplans-1] $sw index i using 1:3:4 with filledcurves lc i+1 notitle, \
     for [i=0:nplans-1] $sw index i using 1:2 with linespoints lw 2.5 pt 7 lc i+1 dt i+1 title word(plan_names, i+1), \
     50 with lines dt 2 lw 2 lc rgb "#a50f15" title "50%"
