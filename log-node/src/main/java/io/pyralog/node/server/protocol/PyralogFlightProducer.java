package io.pyralog.node.server.protocol;

import io.pyralog.common.errors.ApiException;
import io.pyralog.common.errors.Errors;
import io.pyralog.common.protocol.Actions;
import io.pyralog.common.protocol.FetchTicket;
import io.pyralog.common.protocol.Json;
import io.pyralog.common.protocol.ProduceDescriptor;
import io.pyralog.node.metadata.TopicRecord;
import io.pyralog.node.server.PyralogNode;
import io.pyralog.node.server.TopicAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Arrow Flight service: DoPut produces, DoGet fetches, GetFlightInfo lists a topic's
 * partitions and their leaders, DoAction runs admin calls. See docs/protocol.md.
 */
public final class PyralogFlightProducer implements FlightProducer {
  private static final Logger LOG = LoggerFactory.getLogger(PyralogFlightProducer.class);

  private final PyralogNode node;
  private final TopicAdmin admin;
  private final Set<ProduceStream> produceStreams = ConcurrentHashMap.newKeySet();

  public PyralogFlightProducer(PyralogNode node) {
    this.node = node;
    this.admin = node.admin();
  }

  @Override
  public Runnable acceptPut(CallContext context, FlightStream stream,
      StreamListener<PutResult> ackStream) {
    ProduceStream produce = new ProduceStream(node, stream, ackStream);
    return () -> {
      produceStreams.add(produce);
      try {
        produce.run();
      } finally {
        produceStreams.remove(produce);
      }
    };
  }

  /**
   * Ends every open DoPut stream with {@code UNAVAILABLE}; call when the node stops, before the
   * Flight server shuts down, which would otherwise wait for streams that clients keep open.
   */
  public void shutdownStreams() {
    for (ProduceStream s : produceStreams) {
      s.shutdown();
    }
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    new FetchStream(node, ticket, listener).run();
  }

  @Override
  public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
    try {
      return flightInfo(admin.requireTopic(topicOf(descriptor)));
    } catch (RuntimeException e) {
      throw Errors.toFlight(e);
    }
  }

  @Override
  public void listFlights(CallContext context, Criteria criteria,
      StreamListener<FlightInfo> listener) {
    try {
      for (Actions.TopicInfo t : admin.listTopics()) {
        listener.onNext(flightInfo(admin.requireTopic(t.name())));
      }
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(Errors.toFlight(e));
    }
  }

  private FlightInfo flightInfo(TopicRecord t) {
    Actions.TopicInfo info = admin.info(t);
    List<FlightEndpoint> endpoints = new ArrayList<>();
    for (Actions.PartitionInfo p : info.partitionInfo()) {
      FetchTicket ticket = new FetchTicket(t.name(), p.partition(), FetchTicket.EARLIEST,
          p.highWatermark() < 0 ? null : p.highWatermark(), null, null, 0L, null, null);
      String address = p.leaderAddress() == null ? node.config().advertisedAddress()
          : p.leaderAddress();
      int colon = address.lastIndexOf(':');
      endpoints.add(new FlightEndpoint(new Ticket(Json.write(ticket)),
          Location.forGrpcInsecure(address.substring(0, colon),
              Integer.parseInt(address.substring(colon + 1)))));
    }
    return new FlightInfo(admin.schemaOf(t), FlightDescriptor.path(t.name()), endpoints, -1, -1);
  }

  static String topicOf(FlightDescriptor descriptor) {
    if (descriptor.isCommand()) {
      ProduceDescriptor d = Json.read(descriptor.getCommand(), ProduceDescriptor.class);
      return d.topic();
    }
    List<String> path = descriptor.getPath();
    if (path == null || path.size() != 1) {
      throw Errors.INVALID_REQUEST.exception("Descriptor path must be exactly [topic], got "
          + path);
    }
    return path.get(0);
  }

  @Override
  public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
    try {
      byte[] body = action.getBody();
      Object response = switch (action.getType()) {
        case Actions.CREATE_TOPIC -> admin.createTopic(Json.read(body, Actions.CreateTopic.class));
        case Actions.DELETE_TOPIC -> admin.deleteTopic(
            Json.read(body, Actions.TopicName.class).name());
        case Actions.LIST_TOPICS -> new Actions.TopicList(admin.listTopics());
        case Actions.DESCRIBE_TOPIC -> admin.describeTopic(
            Json.read(body, Actions.TopicName.class).name());
        case Actions.LIST_OFFSETS -> admin.listOffsets(Json.read(body, Actions.ListOffsets.class));
        case Actions.COMMIT_OFFSETS -> admin.commitOffsets(
            Json.read(body, Actions.CommitOffsets.class));
        case Actions.FETCH_OFFSETS -> admin.fetchOffsets(
            Json.read(body, Actions.FetchOffsets.class));
        case Actions.INIT_PRODUCER_ID -> admin.initProducerId();
        case Actions.INIT_TRANSACTIONS -> node.transactions().initTransactions(
            Json.read(body, Actions.InitTransactions.class));
        case Actions.ADD_PARTITIONS_TO_TXN -> node.transactions().addPartitions(
            Json.read(body, Actions.AddPartitionsToTxn.class));
        case Actions.END_TXN -> node.transactions().endTxn(Json.read(body, Actions.EndTxn.class));
        case Actions.LIST_TRANSACTIONS -> node.transactions().list(body.length == 0 ? null
            : Json.read(body, Actions.ListTransactions.class));
        case Actions.CLUSTER_INFO -> admin.clusterInfo();
        case Actions.NODE_STATUS -> node.clusterView().nodeStatus();
        default -> throw Errors.INVALID_REQUEST.exception("Unknown action '" + action.getType()
            + "'; call ListActions for the supported ones");
      };
      listener.onNext(new Result(Json.write(response)));
      listener.onCompleted();
    } catch (RuntimeException e) {
      if (!(e instanceof ApiException)) {
        LOG.warn("Action {} failed", action.getType(), e);
      }
      listener.onError(Errors.toFlight(e));
    }
  }

  @Override
  public void listActions(CallContext context, StreamListener<ActionType> listener) {
    listener.onNext(new ActionType(Actions.CREATE_TOPIC, "Create a topic: CreateTopic JSON"));
    listener.onNext(new ActionType(Actions.DELETE_TOPIC, "Delete a topic: {\"name\":...}"));
    listener.onNext(new ActionType(Actions.LIST_TOPICS, "List topics"));
    listener.onNext(new ActionType(Actions.DESCRIBE_TOPIC, "Describe a topic: {\"name\":...}"));
    listener.onNext(new ActionType(Actions.LIST_OFFSETS,
        "Earliest, latest or by-timestamp offsets: ListOffsets JSON"));
    listener.onNext(new ActionType(Actions.COMMIT_OFFSETS, "Commit consumer group offsets"));
    listener.onNext(new ActionType(Actions.FETCH_OFFSETS, "Fetch consumer group offsets"));
    listener.onNext(new ActionType(Actions.INIT_PRODUCER_ID, "Allocate an idempotent producer id"));
    listener.onNext(new ActionType(Actions.INIT_TRANSACTIONS,
        "Producer id and new epoch for a transactional id; aborts its open transaction"));
    listener.onNext(new ActionType(Actions.ADD_PARTITIONS_TO_TXN,
        "Add partitions to the open transaction"));
    listener.onNext(new ActionType(Actions.END_TXN, "Commit or abort a transaction"));
    listener.onNext(new ActionType(Actions.LIST_TRANSACTIONS,
        "Transactional ids and their state: {\"prefix\":...,\"openOnly\":true}"));
    listener.onNext(new ActionType(Actions.CLUSTER_INFO, "Nodes of the cluster"));
    listener.onNext(new ActionType(Actions.NODE_STATUS,
        "The Raft groups of this node: role, leader, term, commit and applied index"));
    listener.onCompleted();
  }
}
