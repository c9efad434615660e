<?xml version="1.0" encoding="UTF-8"?>
<!--
  topology.xsl - domlint topology's XML form into one HTML page

  Input: the output of `domlint topology -f xml FILE` (src/show/xml.c).
  Output: a self-contained page: the CSS is inline, there are no scripts,
  no fonts, no images and nothing is fetched.  Buses are boxes holding their
  slots; a controller's box holds the bus it makes; devices are coloured by
  where they came from, conflicts in red, free hotplug ports dashed green;
  each device lists the findings of the check that concern it.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/topology">
    <html lang="en">
      <head>
        <title>PCI topology of <xsl:value-of select="@file"/></title>
        <style>
body { font: 14px/1.4 sans-serif; margin: 1.5em; color: #222; background: #fff; }
h1 { font-size: 1.4em; margin: 0 0 .2em; }
h2 { font-size: 1.1em; margin: 1.4em 0 .5em; }
.sub { color: #555; margin-bottom: .8em; }
.banner { padding: .5em .8em; border-radius: 4px; margin: .6em 0; }
.banner.done { background: #e8f5e9; border: 1px solid #81c784; }
.banner.error { background: #ffebee; border: 1px solid #e57373; font-weight: bold; }
.banner.other { background: #fff8e1; border: 1px solid #ffd54f; }
.counts span { display: inline-block; margin-right: 1em; }
.bus { border: 2px solid #5c6bc0; border-radius: 6px; margin: .4em 0; background: #f5f6fc; }
.bus > .head { background: #5c6bc0; color: #fff; padding: .25em .6em; font-weight: bold; }
.bus > .head .meta { font-weight: normal; opacity: .9; margin-left: .6em; }
.bus > .body { padding: .4em .6em .5em 1.2em; }
.bus.free-port { border: 2px dashed #43a047; background: #f1f8e9; }
.bus.free-port > .head { background: #43a047; }
.free { color: #2e7d32; font-size: .9em; margin: .2em 0; }
.dev { border: 1px solid #9e9e9e; border-radius: 4px; margin: .3em 0; background: #fff; display: flex; flex-wrap: wrap; }
.dev > .what { padding: .25em .5em; min-width: 24em; flex: 1 1 24em; }
.dev > .findings { flex: 1 1 22em; padding: .25em .5em; border-left: 1px solid #ddd; font-size: .9em; }
.dev > .nested { flex: 1 1 100%; padding: 0 .5em .4em 1.5em; }
.addr { font-family: monospace; font-weight: bold; margin-right: .5em; }
.origin { font-size: .8em; padding: 0 .4em; border-radius: 3px; margin-left: .5em; white-space: nowrap; }
.o-written { background: #e3f2fd; }
.o-assigned { background: #fff3e0; }
.o-builtin { background: #eeeeee; }
.o-implicit { background: #f3e5f5; }
.o-added { background: #e0f2f1; }
.o-unplaced { background: #ffcdd2; }
.dev.written { border-left: 5px solid #1e88e5; }
.dev.assigned { border-left: 5px solid #fb8c00; }
.dev.builtin { border-left: 5px solid #757575; }
.dev.implicit { border-left: 5px solid #8e24aa; }
.dev.added { border-left: 5px solid #00897b; }
.dev.unplaced { border-left: 5px solid #c62828; }
.dev.conflict { border: 2px solid #d32f2f; background: #ffebee; }
.conflict-tag { color: #fff; background: #d32f2f; font-size: .8em; padding: 0 .4em; border-radius: 3px; margin-left: .5em; }
.spare-tag { color: #fff; background: #43a047; font-size: .8em; padding: 0 .4em; border-radius: 3px; margin-left: .5em; }
.line { color: #777; font-size: .85em; margin-left: .5em; }
.finding { margin: .1em 0; }
.sev-error { color: #b71c1c; }
.sev-warning { color: #e65100; }
.sev-note { color: #0d47a1; }
.rule { font-family: monospace; font-size: .85em; color: #555; }
.legend span { margin-right: .8em; }
.ctl { border: 2px solid #6d4c41; border-radius: 6px; margin: .4em 0; background: #faf6f4; }
.ctl > .head { background: #6d4c41; color: #fff; padding: .25em .6em; font-weight: bold; }
.ctl > .head .meta { font-weight: normal; margin-left: .6em; }
.ctl > .body { padding: .4em .6em .5em 1.2em; }
.none { color: #777; font-style: italic; }
        </style>
      </head>
      <body>
        <h1>PCI topology of <xsl:value-of select="@file"/></h1>
        <div class="sub">
          <xsl:value-of select="@machine"/>
          <xsl:if test="@family"> · <xsl:value-of select="@family"/></xsl:if>
          <xsl:if test="@arch"> · <xsl:value-of select="@arch"/></xsl:if>
        </div>
        <xsl:apply-templates select="layout"/>
        <div class="counts">
          <span><b><xsl:value-of select="@errors"/></b> errors</span>
          <span><b><xsl:value-of select="@warnings"/></b> warnings</span>
          <span><b><xsl:value-of select="@empty-hotplug-ports"/></b> empty hotplug ports</span>
        </div>
        <div class="legend">
          <span class="origin o-written">written</span>
          <span class="origin o-assigned">assigned by libvirt</span>
          <span class="origin o-builtin">builtin of the machine</span>
          <span class="origin o-implicit">added by libvirt</span>
          <span class="origin o-added">controller added by libvirt</span>
          <span class="conflict-tag">conflict</span>
          <span class="spare-tag">free hotplug port</span>
        </div>
        <h2>PCI</h2>
        <xsl:choose>
          <xsl:when test="@root">
            <xsl:apply-templates select="pci/bus"/>
          </xsl:when>
          <xsl:otherwise>
            <p class="none">The machine has no PCI bus.</p>
          </xsl:otherwise>
        </xsl:choose>
        <xsl:if test="unplaced/device">
          <h2>Without a place on a bus</h2>
          <xsl:apply-templates select="unplaced/device"/>
        </xsl:if>
        <xsl:if test="attached/controller">
          <h2>Drive, USB and virtio-serial buses</h2>
          <xsl:apply-templates select="attached/controller"/>
        </xsl:if>
        <xsl:if test="findings/finding">
          <h2>Findings beside no device</h2>
          <div class="dev"><div class="findings"><xsl:apply-templates select="findings/finding"/></div></div>
        </xsl:if>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="layout">
    <xsl:choose>
      <xsl:when test="@state = 'error'">
        <div class="banner error">
          libvirt cannot lay this domain out<xsl:if test="@stops-at"> (it stops at the <xsl:value-of select="@stops-at"/>)</xsl:if>:
          <xsl:value-of select="error"/>
        </div>
      </xsl:when>
      <xsl:when test="@state = 'done'">
        <div class="banner done">Laid out as libvirt will lay it out.</div>
      </xsl:when>
      <xsl:when test="note">
        <div class="banner other"><xsl:value-of select="note"/></div>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="bus">
    <div>
      <xsl:attribute name="class">bus<xsl:if test="@free-port"> free-port</xsl:if></xsl:attribute>
      <div class="head">
        [<xsl:value-of select="format-number(@index, '00')"/>] <xsl:value-of select="@model"/>
        <xsl:if test="@model-name"> (<xsl:value-of select="@model-name"/>)</xsl:if>
        <span class="meta">
          <xsl:if test="@origin != 'written'"><xsl:value-of select="@origin-words"/> · </xsl:if>
          <xsl:if test="@options"><xsl:value-of select="@options"/> · </xsl:if>
          <xsl:if test="@filled"><xsl:value-of select="@filled"/> (filled in by libvirt) · </xsl:if>
          <xsl:if test="@slots">slots <xsl:value-of select="@slots"/></xsl:if>
          <xsl:if test="@hotplug"> · hotplug</xsl:if>
        </span>
      </div>
      <div class="body">
        <xsl:apply-templates select="device"/>
        <xsl:choose>
          <xsl:when test="@free-port">
            <div class="free"><span class="spare-tag">free hotplug port</span> nothing plugged in: a device can be hot-plugged here</div>
          </xsl:when>
          <xsl:when test="@free">
            <div class="free"><xsl:value-of select="@free-slots"/> free slot<xsl:if test="@free-slots != 1">s</xsl:if>: <xsl:value-of select="@free"/></div>
          </xsl:when>
          <xsl:when test="@slots">
            <div class="free">no free slot</div>
          </xsl:when>
        </xsl:choose>
      </div>
    </div>
  </xsl:template>

  <xsl:template match="device">
    <div>
      <xsl:attribute name="class">dev <xsl:value-of select="@origin"/><xsl:if test="@conflict"> conflict</xsl:if></xsl:attribute>
      <div class="what">
        <span class="addr">
          <xsl:choose>
            <xsl:when test="@slot"><xsl:value-of select="substring(@address, 4)"/></xsl:when>
            <xsl:when test="@address"><xsl:value-of select="@address"/></xsl:when>
            <xsl:when test="@origin = 'unplaced'">no address</xsl:when>
            <xsl:otherwise>libvirt picks</xsl:otherwise>
          </xsl:choose>
        </span>
        <xsl:value-of select="@name"/>
        <span class="origin o-{@origin}"><xsl:value-of select="@origin-words"/></span>
        <xsl:if test="@conflict"><span class="conflict-tag">conflict</span></xsl:if>
        <xsl:if test="@spare"><span class="spare-tag">spare for hotplug</span></xsl:if>
        <xsl:if test="@line"><span class="line">line <xsl:value-of select="@line"/></span></xsl:if>
      </div>
      <xsl:if test="finding">
        <div class="findings"><xsl:apply-templates select="finding"/></div>
      </xsl:if>
      <xsl:if test="bus">
        <div class="nested"><xsl:apply-templates select="bus"/></div>
      </xsl:if>
    </div>
  </xsl:template>

  <xsl:template match="finding">
    <div class="finding sev-{@severity}">
      <b><xsl:value-of select="@severity"/></b>
      <xsl:text> </xsl:text>
      <span class="rule">[<xsl:value-of select="@rule"/>]</span>
      <xsl:text> </xsl:text>
      <xsl:value-of select="."/>
    </div>
  </xsl:template>

  <xsl:template match="controller">
    <div class="ctl">
      <div class="head">
        <xsl:value-of select="@type"/> controller <xsl:value-of select="@index"/>
        <xsl:if test="@model"> (<xsl:value-of select="@model"/>)</xsl:if>
        <span class="meta">
          <xsl:choose>
            <xsl:when test="@missing"><span class="conflict-tag">missing</span> the machine has no such bus · </xsl:when>
            <xsl:when test="@origin != 'written'"><xsl:value-of select="@origin-words"/> · </xsl:when>
          </xsl:choose>
          <xsl:if test="@capacity"><xsl:value-of select="@capacity"/> · </xsl:if>
          <xsl:value-of select="count(device)"/> in use
        </span>
      </div>
      <div class="body">
        <xsl:apply-templates select="device"/>
        <xsl:if test="not(device)"><div class="none">nothing attached</div></xsl:if>
      </div>
    </div>
  </xsl:template>
</xsl:stylesheet>
