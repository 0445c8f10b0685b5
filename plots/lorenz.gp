# The Lorenz curve of the month's inference cost: customers from the
# lightest to the heaviest against the share of the bill they make, with
# the heaviest 5% marked. Data $lz: customers% cost%; $mark: one point.
set title title_text noenhanced
set xlabel "customers, lightest first (% of all)"
set ylabel "share of the month's inference cost (%)"
set xrange [0:100]
set yrange [0:100]
set size ratio -1
set grid lc rgb "#e0e0e0"
set key top left noenhanced
plot $lz using 1:2 with lines lw 3 lc rgb "#08306b" title "cumulative cost", \
     x with lines dt 2 lw 1.5 lc rgb "#808080" title "every customer costing the same", \
     $mark using 1:2 with points pt 7 ps 2 lc rgb "#a50f15" title mark_label
