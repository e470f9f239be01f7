package switchboard.support;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * {@code Chart <echo-sweep.csv> <out.png>}: latency against clients for the echo sweep, as a PNG (no plotting library
 * needed): mean and p99 round trip of Switchboard and of the bare Vert.x server, log-scaled milliseconds. The CSV has
 * rows {@code clients,switchboardMean,switchboardP99,bareMean,bareP99} (ms); the last row per client count wins.
 */
public final class Chart {
  private static final int W = 900;
  private static final int H = 560;
  private static final int LEFT = 80;
  private static final int RIGHT = 220;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  private Chart() {
  }

  public static void main(String[] args) throws Exception {
    TreeMap<Integer, double[]> rows = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      String[] f = line.split(",");
      if (f.length == 5 && f[0].matches("\\d+")) {
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
          v[i] = Double.parseDouble(f[i + 1]);
        }
        rows.put(Integer.parseInt(f[0]), v);
      }
    }
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("Echo: round trip vs. clients (1 ping/s each)", LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    double minMs = 0.01;
    double maxMs = 10_000;
    int maxClients = rows.isEmpty() ? 1 : rows.lastKey();
    int plotW = W - LEFT - RIGHT;
    int plotH = H - TOP - BOTTOM;
    g.setColor(new Color(220, 220, 220));
    for (double ms = minMs; ms <= maxMs; ms *= 10) {
      int y = y(ms, minMs, maxMs, plotH);
      g.drawLine(LEFT, y, LEFT + plotW, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(ms < 1 ? String.valueOf(ms) : String.format("%.0f", ms), LEFT - 55, y + 4);
      g.setColor(new Color(220, 220, 220));
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotW, plotH);
    g.drawString("ms (log)", 10, TOP - 8);
    g.drawString("clients", LEFT + plotW / 2 - 20, H - 15);
    for (int c : rows.keySet()) {
      int x = x(c, maxClients, plotW);
      g.drawLine(x, TOP + plotH, x, TOP + plotH + 5);
      g.drawString(String.format("%,d", c), x - 18, TOP + plotH + 20);
    }
    String[] names = {"Switchboard mean", "Switchboard p99", "bare Vert.x mean", "bare Vert.x p99"};
    Color[] colors = {new Color(31, 119, 180), new Color(31, 119, 180), new Color(214, 39, 40),
        new Color(214, 39, 40)};
    for (int s = 0; s < 4; s++) {
      g.setColor(colors[s]);
      g.setStroke(s % 2 == 0 ? new BasicStroke(2.5f)
          : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0));
      List<int[]> pts = new ArrayList<>();
      for (var e : rows.entrySet()) {
        pts.add(new int[] {x(e.getKey(), maxClients, plotW), y(Math.max(minMs, e.getValue()[s]), minMs, maxMs, plotH)});
      }
      for (int i = 0; i < pts.size(); i++) {
        g.fillOval(pts.get(i)[0] - 4, pts.get(i)[1] - 4, 8, 8);
        if (i > 0) {
          g.drawLine(pts.get(i - 1)[0], pts.get(i - 1)[1], pts.get(i)[0], pts.get(i)[1]);
        }
      }
      int ly = TOP + 20 + s * 22;
      g.drawLine(LEFT + plotW + 15, ly, LEFT + plotW + 45, ly);
      g.setColor(Color.BLACK);
      g.drawString(names[s], LEFT + plotW + 52, ly + 4);
    }
    g.dispose();
    Path out = Path.of(args[1]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    ImageIO.write(img, "png", out.toFile());
  }

  private static int x(int clients, int maxClients, int plotW) {
    return LEFT + (int) ((double) clients / maxClients * (plotW - 20)) + 10;
  }

  private static int y(double ms, double minMs, double maxMs, int plotH) {
    double f = (Math.log10(ms) - Math.log10(minMs)) / (Math.log10(maxMs) - Math.log10(minMs));
    return TOP + plotH - (int) (f * plotH);
  }
}
