package dev.mode.cluster;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.mode.cluster.Leadership}: this replica became or stopped being the leader of
 * a role (after its leader-only services started or stopped). Costs nothing unless a recording
 * enables it; enabled by default in a recording.
 */
@Name("dev.mode.cluster.Leadership")
@Label("Leadership Change")
@Category({"Mode", "Cluster"})
@Description("This replica became or stopped being the leader of a role")
@StackTrace(false)
public final class LeadershipEvent extends Event {
  @Label("Role")
  public String role;

  @Label("Node")
  public String node;

  @Label("Leader")
  public boolean leader;

  @Label("Reason")
  public String reason;

  static void emit(String role, String node, boolean leader, String reason) {
    LeadershipEvent e = new LeadershipEvent();
    if (e.shouldCommit()) {
      e.role = role;
      e.node = node;
      e.leader = leader;
      e.reason = reason;
      e.commit();
    }
  }
}
