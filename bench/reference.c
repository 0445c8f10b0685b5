/* reference.c: the floor `make bench` compares the engine with: the
 * benchmark's model as the plain loop an analyst would write in C, with the
 * engine's own generator and samplers. Per replication, a fixed population
 * of customers with Pareto intensities (alpha 1.5, 10 to 20,000 a month);
 * per customer-month one Poisson count, split over three models by two
 * binomials (a multinomial), priced at each model's cost per interaction,
 * billed a flat price; per month the sums. No sign-ups, churn, events,
 * features or plans: what is left is what every customer-month must cost.
 * Usage: reference CUSTOMERS MONTHS REPLICATIONS; prints the customer-months
 * and a checksum (the mean margin, so the loop cannot be optimised away). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "models/randist.h"
#include "sim/engine/rng.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: reference CUSTOMERS MONTHS REPLICATIONS\n");
        return 2;
    }
    long nc = atol(argv[1]), months = atol(argv[2]), reps = atol(argv[3]);
    double *intensity = malloc((size_t)nc * sizeof *intensity);
    if (nc <= 0 || months <= 0 || reps <= 0 || !intensity)
        return 1;
    /* model shares 0.56, 0.24, 0.20; dollars per interaction of each */
    const double share[3] = { 0.56, 0.24, 0.20 }, cost[3] = { 0.0010, 0.0130, 0.0009 }, price = 20;
    ts_binomial first, second;
    ts_binomial_prepare(&first, share[0]);
    ts_binomial_prepare(&second, share[1] / (1 - share[0]));
    double margin = 0;
    for (long rep = 0; rep < reps; rep++) {
        gsl_rng *r = ts_rng_create(1, (uint64_t)rep);
        if (!r)
            return 1;
        for (long i = 0; i < nc; i++) {
            double u = gsl_rng_uniform_pos(r);
            intensity[i] = fmin(10 * pow(u, -1 / 1.5), 20000);
        }
        for (long m = 0; m < months; m++) {
            double revenue = 0, spend = 0;
            for (long i = 0; i < nc; i++) {
                double n = ts_ran_poisson(r, intensity[i]);
                double a = ts_ran_binomial_prepared(r, &first, n);
                double b = ts_ran_binomial_prepared(r, &second, n - a);
                spend += a * cost[0] + b * cost[1] + (n - a - b) * cost[2];
                revenue += price;
            }
            margin += (revenue - spend) / revenue;
        }
        gsl_rng_free(r);
    }
    free(intensity);
    printf("%.0f %.6f\n", (double)nc * (double)months * (double)reps, 100 * margin / (double)(months * reps));
    return 0;
}
