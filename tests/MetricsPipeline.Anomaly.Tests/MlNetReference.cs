using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace MetricsPipeline.Anomaly.Tests;

/// <summary>
/// An independent, deliberately naive re-computation of ML.NET's detectors from ../shared/reference/timeseries-algorithms.md
/// (sections 1–5), used by the parity tests: O(n²) kernel sums from scratch, explicit bet windows, and an SSA model in
/// double precision on MathNet's eigen-solver (the library uses its own solver and float32). Nothing here calls the
/// library under test.
/// </summary>
internal static class MlNetReference
{
    /// <summary>Per-row outputs of the reference.</summary>
    internal sealed record Row(bool Alert, double Raw, double P, double Martingale);

    /// <summary>Abramowitz–Stegun 7.1.26, written out again here.</summary>
    public static double Erf(double x)
    {
        var sign = x < 0 ? -1.0 : 1.0;
        var a = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.3275911 * a));
        var y = 1.0 - (((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t * Math.Exp(-a * a));
        return sign * y;
    }

    /// <summary>Section 3: the unsided p-value of s against the buffer, bandwidth from all pairwise squared differences.</summary>
    public static double KernelPValue(float s, IReadOnlyList<float> buffer)
    {
        var n = buffer.Count;
        if (n == 0)
        {
            return 0.5;
        }

        double pairs = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var d = (double)buffer[i] - buffer[j];
                pairs += d * d;
            }
        }

        var h = Math.Max(Math.Sqrt(2) * (n == 1 ? 1 : Math.Sqrt(pairs) / n), 1e-6);
        double sum = 0;
        foreach (var b in buffer)
        {
            sum += Erf((s - b) / h);
        }

        return 0.5 - (sum / (2.0 * n));
    }

    /// <summary>Section 3's side and clamp.</summary>
    public static double Sided(double p, AnomalySide side) => Math.Clamp(
        side switch { AnomalySide.Positive => p, AnomalySide.Negative => 1 - p, _ => Math.Min(p, 1 - p) },
        1e-8,
        1 - 1e-8);

    /// <summary>Section 4's betting functions, in log space.</summary>
    public static double LogBet(double p, MartingaleType type, double epsilon) => type switch
    {
        MartingaleType.Power => Math.Log(epsilon) + ((epsilon - 1) * Math.Log(p)),
        MartingaleType.Mixture => Math.Log(Integral(p)),
        _ => 0,
    };

    /// <summary>
    /// Sections 3–5 over a sequence of raw scores: spike detector when <paramref name="martingale"/> is null, else the
    /// change-point detector (two-sided p, martingale of the last W bets with the first bet repeated, refractory W).
    /// </summary>
    public static Row[] Sequential(IReadOnlyList<double> raw, int w, double confidence, AnomalySide side, MartingaleType? martingale, double epsilon = 0.1)
    {
        var rows = new Row[raw.Count];
        var buffer = new List<float>();
        var bets = new List<double>();
        var refractory = 0;
        var threshold = martingale is { } type && type != MartingaleType.None ? Math.Exp(w * LogBet(1 - (confidence / 100), type, epsilon)) : double.MaxValue;
        for (var t = 0; t < raw.Count; t++)
        {
            var s = (float)raw[t];
            var p = Sided(KernelPValue(s, buffer), martingale is null ? side : AnomalySide.TwoSided);
            buffer.Add(s);
            if (buffer.Count > w)
            {
                buffer.RemoveAt(0);
            }

            var full = buffer.Count == w;
            if (martingale is null)
            {
                rows[t] = new Row(full && p <= 1 - (confidence / 100), s, p, double.NaN);
                continue;
            }

            double m = 0;
            if (martingale != MartingaleType.None)
            {
                var bet = LogBet(p, martingale.Value, epsilon);
                if (bets.Count == 0)
                {
                    bets.AddRange(Enumerable.Repeat(bet, w));
                }
                else
                {
                    bets.Add(bet);
                    bets.RemoveAt(0);
                }

                m = Math.Exp(bets.Sum());
            }

            if (refractory > 0)
            {
                refractory--;
            }

            var alert = full && refractory == 0 && m >= threshold;
            if (alert)
            {
                refractory = w;
            }

            rows[t] = new Row(alert, s, p, m);
        }

        return rows;
    }

    // The mixture bet ∫₀¹ ε p^(ε−1) dε by Simpson's rule, rather than by the closed form the library uses.
    private static double Integral(double p)
    {
        const int steps = 20_000;
        const double h = 1.0 / steps;
        double sum = 0;
        for (var i = 0; i <= steps; i++)
        {
            var e = i * h;
            var f = e * Math.Exp((e - 1) * Math.Log(p));
            sum += (i == 0 || i == steps ? 1 : i % 2 == 1 ? 4 : 2) * f;
        }

        return sum * h / 3;
    }

    /// <summary>
    /// Streaming SR-CNN on one full window (oldest first), from Ren et al. (KDD 2019) with ML.NET's parameters: extend the
    /// window by backAdd copies of the slope-based prediction made from the lookahead + 1 points before the last one
    /// (ML.NET's PredictNext: data[1] + Σ slopes to the last point), a complex DFT, log amplitude minus its trailing mean over
    /// averaging bins, the inverse DFT of exp(residual) with the original phase, and the score |S − mean(S over the last
    /// judgement points)| / mean / 10, clamped to [0, 1], for the window's last point. Naive O(n²) complex DFTs.
    /// </summary>
    /// <returns>The raw score and the saliency magnitude of the window's last point.</returns>
    public static (double Score, double Magnitude) SpectralResidual(IReadOnlyList<double> window, int backAdd, int lookahead, int averaging, int judgement)
    {
        var n = window.Count;
        var head = window.Take(n - 1).Skip(Math.Max(0, n - lookahead - 2)).ToArray();
        double slopes = 0;
        for (var i = 0; i < head.Length - 1; i++)
        {
            slopes += (head[^1] - head[i]) / (head.Length - 1 - i);
        }

        var extended = window.Concat(Enumerable.Repeat(head[1] + slopes, backAdd)).ToArray();
        var length = extended.Length;
        var spectrum = new Complex[length];
        for (var k = 0; k < length; k++)
        {
            for (var t = 0; t < length; t++)
            {
                spectrum[k] += extended[t] * Complex.FromPolarCoordinates(1, -2 * Math.PI * k * t / length);
            }
        }

        var log = spectrum.Select(c => c.Magnitude == 0 ? 0 : Math.Log(c.Magnitude)).ToArray();
        var residual = new Complex[length];
        for (var k = 0; k < length; k++)
        {
            var from = Math.Max(0, k - averaging + 1);
            var mean = log.Skip(from).Take(k - from + 1).Average();
            residual[k] = spectrum[k].Magnitude == 0 ? Complex.Zero : spectrum[k] / spectrum[k].Magnitude * Math.Exp(log[k] - mean);
        }

        var saliency = new double[n];
        for (var t = 0; t < n; t++)
        {
            var sum = Complex.Zero;
            for (var k = 0; k < length; k++)
            {
                sum += residual[k] * Complex.FromPolarCoordinates(1, 2 * Math.PI * k * t / length);
            }

            saliency[t] = sum.Magnitude / length;
        }

        var average = saliency.Skip(n - judgement).Average();
        var score = Math.Abs(saliency[^1] - average) / Math.Max(average, 1e-8) / 10;
        return (Math.Clamp(score, 0, 1), saliency[^1]);
    }

    /// <summary>
    /// Section 1 for the SSA detectors: trained on <paramref name="training"/> with window L, Exact rank selection up to
    /// L / 2, no stabilisation, no intervals; <see cref="Consume"/> moves the state as in 1.3.
    /// </summary>
    internal sealed class Ssa
    {
        private readonly int _l;
        private readonly double[][] _u;
        private readonly double[] _alpha;
        private readonly double[] _state;
        private readonly List<double> _buffer = [];

        public Ssa(IReadOnlyList<double> training, int l)
        {
            _l = l;
            var x = training.ToArray();
            var n = x.Length;
            var k = n - l + 1;
            var m = l - 1;
            var trajectory = Matrix<double>.Build.Dense(l, k, (j, c) => x[c + j]);
            var evd = (trajectory * trajectory.Transpose()).Evd(Symmetricity.Symmetric);
            var order = Enumerable.Range(0, l).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
            _u = order.Select(i => evd.EigenVectors.Column(i).ToArray()).ToArray();

            // Exact rank selection (1.2 step 5).
            var maxRank = l / 2;
            var evalLen = Math.Min(Math.Max(l, 200), k);
            var alpha = new double[m];
            double nu = 0;
            var reconstruction = new double[n];
            var best = double.PositiveInfinity;
            var rank = maxRank;
            for (var i = 0; i < maxRank; i++)
            {
                var u = _u[i];
                var lambda = u[l - 1];
                for (var j = 0; j < m; j++)
                {
                    alpha[j] += lambda * u[j];
                }

                nu += lambda * lambda;
                var v = new double[k];
                for (var c = 0; c < k; c++)
                {
                    for (var j = 0; j < l; j++)
                    {
                        v[c] += u[j] * x[c + j];
                    }
                }

                for (var t = 0; t < n; t++)
                {
                    double sum = 0;
                    var count = 0;
                    for (var j = Math.Max(0, t - k + 1); j <= Math.Min(l - 1, t); j++)
                    {
                        sum += u[j] * v[t - j];
                        count++;
                    }

                    reconstruction[t] += sum / count;
                }

                var mu = Enumerable.Range(0, n).Average(t => x[t] - reconstruction[t]);
                var window = reconstruction.Skip(n - evalLen - m).Take(m).ToList();
                double error = 0;
                for (var t = n - evalLen; t < n && error <= best; t++)
                {
                    double p = 0;
                    for (var j = 0; j < m; j++)
                    {
                        p += alpha[j] * window[j];
                    }

                    p = (p / (1 - nu)) + mu;
                    window.Add(p);
                    window.RemoveAt(0);
                    error += Math.Abs(x[t] - p);
                }

                if (error < best)
                {
                    best = error;
                    rank = i + 1;
                }
            }

            Rank = rank;
            _u = _u.Take(rank).ToArray();

            // Recurrent coefficients (step 6).
            var pi = _u.Select(u => u[l - 1]).ToArray();
            var nuR = pi.Sum(q => q * q);
            _alpha = new double[m];
            for (var j = 0; j < m; j++)
            {
                for (var i = 0; i < rank; i++)
                {
                    _alpha[j] += _u[i][j] * pi[i];
                }

                _alpha[j] /= 1 - nuR;
            }

            // Initial state (step 9): the projection of the last L training points.
            var projected = Project(x.Skip(n - l).ToArray());
            _state = projected.Skip(1).ToArray();
            NextPrediction = Dot(_alpha, _state);
        }

        public int Rank { get; }

        public IReadOnlyList<double> Alpha => _alpha;

        public IReadOnlyList<double> State => _state;

        public double NextPrediction { get; private set; }

        public void Consume(double value)
        {
            var m = _l - 1;
            if (_buffer.Count == 0)
            {
                _buffer.AddRange(_state);
            }

            var lag = _buffer.Skip(_buffer.Count - m).Append(value).ToArray();
            var projected = Project(lag);
            for (var i = 0; i <= _l - 3; i++)
            {
                _state[i] = (((_l - 2 - i) * _state[i + 1]) + projected[i + 1]) / (_l - 1 - i);
            }

            _state[m - 1] = projected[_l - 1];
            NextPrediction = Dot(_alpha, _state);
            _buffer.Add(value);
        }

        private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

        private double[] Project(double[] v)
        {
            var result = new double[_l];
            foreach (var u in _u)
            {
                var y = Dot(u, v);
                for (var j = 0; j < _l; j++)
                {
                    result[j] += y * u[j];
                }
            }

            return result;
        }
    }
}
