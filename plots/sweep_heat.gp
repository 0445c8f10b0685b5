# A sweep over two values: the first plan's mean gross margin over the
# horizon at every point of the grid, as a heatmap with the value printed in
# each cell. Data $sw: x y mean.
set title title_text noenhanced
set xlabel xlabel_text noenhanced
set ylabel ylabel_text noenhanced
set cblabel "gross margin over the horizon (%)"
set palette defined (0 "#67001f", 0.5 "#f7f7f7", 1 "#053061")
set cbrange [cblo:cbhi]
unset key
plot $sw using 1:2:3 with image, \
     $sw using 1:2:(sprintf("%.1f", $3)) with labels font ",10"
