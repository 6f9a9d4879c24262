using System.Runtime.CompilerServices;

// The tests check internal numerical kernels (root finding, reconstruction) directly.
[assembly: InternalsVisibleTo("MetricsPipeline.Forecasting.Tests")]
