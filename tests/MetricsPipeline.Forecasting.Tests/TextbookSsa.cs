using MathNet.Numerics.LinearAlgebra;

namespace MetricsPipeline.Forecasting.Tests;

/// <summary>
/// An independent, deliberately plain double-precision SSA (fixed rank, no stabilisation) written from the textbook
/// (Golyandina et al.) and the reference's Consume/Forecast description, to check the production code against.
/// </summary>
internal sealed class TextbookSsa
{
    private readonly int _l;
    private readonly double[][] _u;
    private readonly List<double> _history = [];

    public TextbookSsa(double[] x, int l, int rank)
    {
        _l = l;
        int k = x.Length - l + 1;
        var traj = Matrix<double>.Build.Dense(l, k, (i, j) => x[i + j]);
        var evd = (traj * traj.Transpose()).Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, l).OrderByDescending(i => evd.EigenValues[i].Real).Take(rank).ToArray();
        _u = order.Select(c => Enumerable.Range(0, l).Select(r => evd.EigenVectors[r, c]).ToArray()).ToArray();
        double nu = _u.Sum(u => u[l - 1] * u[l - 1]);
        Alpha = new double[l - 1];
        for (int j = 0; j < l - 1; j++)
        {
            Alpha[j] = _u.Sum(u => u[j] * u[l - 1]) / (1 - nu);
        }

        var proj = Project(x.Skip(x.Length - l).ToArray());
        State = proj.Skip(1).ToArray();
        Next = Dot(Alpha, State);
    }

    public double[] Alpha { get; }

    public double[] State { get; private set; }

    public double Next { get; private set; }

    public void Consume(double x)
    {
        if (_history.Count == 0)
        {
            _history.AddRange(State);
        }

        var lag = _history.Skip(_history.Count - (_l - 1)).Append(x).ToArray();
        var proj = Project(lag);
        var s = new double[_l - 1];
        for (int i = 0; i < _l - 2; i++)
        {
            s[i] = (((_l - 2 - i) * State[i + 1]) + proj[i + 1]) / (_l - 1 - i);
        }

        s[_l - 2] = proj[_l - 1];
        State = s;
        Next = Dot(Alpha, State);
        _history.Add(x);
    }

    public double[] Forecast(int h)
    {
        var seq = State.ToList();
        seq.Add(Next);
        for (int i = 1; i < h; i++)
        {
            seq.Add(Dot(Alpha, seq.Skip(seq.Count - (_l - 1)).ToArray()));
        }

        return seq.Skip(_l - 1).ToArray();
    }

    private double[] Project(double[] v)
    {
        var result = new double[_l];
        foreach (var u in _u)
        {
            double y = Dot(u, v);
            for (int j = 0; j < _l; j++)
            {
                result[j] += y * u[j];
            }
        }

        return result;
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
}
