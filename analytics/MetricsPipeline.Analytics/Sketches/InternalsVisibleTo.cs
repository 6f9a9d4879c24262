using System.Runtime.CompilerServices;

// The sketch tests check the index mapping and bucket stores directly.
[assembly: InternalsVisibleTo("MetricsPipeline.Analytics.Tests")]
