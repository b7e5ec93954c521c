// The area the window shows, shared so that a screen can send the admin to another: a hub that
// refuses this computer's token sends them to the hub connection.
import type { AreaId } from "./areas";

/** A part of an area to bring into view once it shows. */
export type Place = "hub_connection";

class Navigation {
  area = $state<AreaId>("messenger");
  /** Where in the area the admin was sent, until that place has shown itself. */
  place = $state<Place | null>(null);

  go(area: AreaId, place: Place | null = null) {
    this.area = area;
    this.place = place;
  }
}

export const navigation = new Navigation();
